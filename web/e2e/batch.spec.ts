/**
 * Templates and batches end to end against a real `reelforge serve`: make a scene's title and
 * colour variables in the editor, upload a CSV of two rows, render a batch of two previews,
 * follow the rows, and download the results. Screenshots land in web/test-artifacts/.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer, type Server } from "./server";

const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");

let server: Server;
let page: Page;

const DOCUMENT = {
  title: "Batch launch",
  output: { aspect: "16:9", resolution: 360, fps: 24 },
  music: { enabled: false },
  captions: { enabled: false },
  scenes: [
    { id: "hello", duration: 1, title: { text: "Hello there", position: "center" }, visual: { type: "color", color: "#1E293B" } },
    { id: "offer", duration: 1, visual: { type: "color", color: "#0EA5E9" } },
  ],
};

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  page = await (await browser.newContext()).newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test("make variables, upload a CSV and render a batch of two previews", async () => {
  await page.goto(server.baseUrl + "/");
  await page.getByLabel("User name").fill(server.username);
  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  const created = await page.request.post(`${server.baseUrl}/api/projects`, {
    data: { document: DOCUMENT },
    headers: { "X-Requested-With": "reelforge-web" },
  });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { id: string }).id;
  await page.goto(`${server.baseUrl}/#/projects/${projectId}`);
  await expect(page.getByRole("heading", { name: "Batch launch" })).toBeVisible();

  await page.getByRole("tab", { name: "Batch" }).click();
  await expect(page.getByText("No variables yet")).toBeVisible();
  const form = page.locator("form.make-variable");
  await form.getByLabel("Field").selectOption("title");
  await form.getByLabel("Name").fill("name");
  await form.getByRole("button", { name: "Make variable" }).click();
  const variables = page.getByRole("table", { name: "Variables" });
  await expect(variables.getByRole("row", { name: /\{\{name\}\} text Hello there/ })).toBeVisible();
  await form.getByLabel("Scene").selectOption("offer");
  await form.getByLabel("Field").selectOption("color");
  await form.getByLabel("Name").fill("accent");
  await form.getByRole("button", { name: "Make variable" }).click();
  await expect(variables.getByRole("row", { name: /\{\{accent\}\} color #0EA5E9/ })).toBeVisible();

  const stored = await page.request.get(`${server.baseUrl}/api/projects/${projectId}`);
  const document = ((await stored.json()) as { document: { variables: Record<string, { type: string }> } }).document;
  expect(Object.keys(document.variables).sort()).toEqual(["accent", "name"]);

  const csv = 'id,name,accent\nada,"Ada, the first",#F97316\nbob,Bøb 日本,#22C55E\n';
  await page.getByLabel(/CSV file/).setInputFiles({ name: "rows.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await expect(page.getByTestId("batch-file")).toHaveText("rows.csv: 2 rows");
  await page.getByRole("button", { name: "Render batch previews" }).click();
  await expect(page.getByTestId("batch-status")).toHaveText(/queued|running|succeeded/);
  await expect(page.getByTestId("batch-status")).toHaveText("succeeded", { timeout: 120_000 });
  for (const id of ["ada", "bob"]) {
    await expect(page.getByTestId(`batch-row-${id}`)).toContainText("succeeded");
    await expect(page.getByTestId(`batch-row-${id}`).getByRole("link", { name: `${id}.mp4` })).toBeVisible();
  }
  const results = page.getByRole("link", { name: "Download results (CSV)" });
  await expect(results).toBeVisible();
  const table = await page.request.get(new URL((await results.getAttribute("href"))!, server.baseUrl).toString());
  expect(table.ok()).toBeTruthy();
  const lines = (await table.text()).trim().split("\n");
  expect(lines[0]).toBe("id,status,output,error,seconds");
  expect(lines.slice(1).map((line) => line.split(",").slice(0, 2).join(","))).toEqual(["ada,succeeded", "bob,succeeded"]);
  await page.screenshot({ path: join(ARTIFACTS, "batch-two-previews.png"), fullPage: true });
});
