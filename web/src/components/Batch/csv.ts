/**
 * A small RFC 4180 CSV reader for previewing rows in the browser (the server parses the upload
 * itself): quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF,
 * a leading BOM dropped, blank lines skipped. Empty cells are left out of a row (no value).
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field || record.length) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => r.some((cell) => cell.trim()));
  if (!header) return [];
  return rows.map((cells) => {
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      const value = cells[i];
      if (value !== undefined && value !== "") row[name.trim()] = value;
    });
    return row;
  });
}
