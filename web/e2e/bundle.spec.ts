/**
 * The production build (`npm run build`, which `npm run test:e2e` runs first) stays split:
 * no chunk reaches Vite's 500 kB warning, and the first screen loads no editor code.
 */
import { expect, test } from "@playwright/test";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const DIST = resolve(import.meta.dirname, "../dist");
const KB = 1000; // as Vite reports sizes

/** The scripts index.html loads before anything renders: its entry and the modulepreloads. */
function initialScripts(): string[] {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
}

test("every JavaScript chunk is under Vite's 500 kB warning", () => {
  const chunks = readdirSync(join(DIST, "assets")).filter((name) => name.endsWith(".js"));
  expect(chunks.length).toBeGreaterThan(3);
  const big = chunks
    .map((name) => ({ name, kB: statSync(join(DIST, "assets", name)).size / KB }))
    .filter((chunk) => chunk.kB >= 500);
  expect(big).toEqual([]);
});

test("the first screen loads under 400 kB of JavaScript, none of it the editor's", () => {
  const initial = initialScripts();
  expect(initial.some((path) => /assets\/index-/.test(path))).toBe(true);
  expect(initial.filter((path) => /Editor|ProjectList|AccountDialog/.test(path))).toEqual([]);
  const total = initial.reduce((sum, path) => sum + statSync(join(DIST, path)).size, 0) / KB;
  expect(total).toBeLessThan(400);
});
