import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads quoting, line breaks in quotes, CRLF, a BOM, Unicode and empty cells", () => {
    const text = '\uFEFFid,name,price\r\na1,"Smith, Jane",9.99\r\nb2,"She said ""hi""\nthen left",\r\n\r\n日本,Zoë 🎉,12';
    expect(parseCsv(text)).toEqual([
      { id: "a1", name: "Smith, Jane", price: "9.99" },
      { id: "b2", name: 'She said "hi"\nthen left' },
      { id: "日本", name: "Zoë 🎉", price: "12" },
    ]);
  });

  it("gives no rows for an empty file or a header alone", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("id,name\n")).toEqual([]);
  });
});
