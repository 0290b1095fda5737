import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

test("the generated API types match the server's OpenAPI schema", () => {
  const web = resolve(import.meta.dirname, "..");
  expect(() => execFileSync(process.execPath, ["scripts/gen-api.mjs", "--check"], { cwd: web, stdio: "pipe" })).not.toThrow();
});
