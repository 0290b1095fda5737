/**
 * Against a real `reelforge serve`: the editor's code arrives only when a project is opened;
 * the history list jumps back and forth; the account dialog sets a password that then signs in.
 * Screenshots land in web/test-artifacts/ as history-*.png and account-*.png.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { axeViolations } from "./axe";
import { startServer, type Server } from "./server";

const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");
const SCRIPT = "Meet SmartBottle.\n\nOrder yours today.";
const NEW_PASSWORD = "a-brand-new-password";

let server: Server;
let page: Page;
let projectId = "";
/** The JavaScript files the page has fetched so far. */
const scripts: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function sceneTitle(): Promise<string | null> {
  const response = await page.request.get(`${server.baseUrl}/api/projects/${projectId}`);
  expect(response.ok()).toBeTruthy();
  const project = (await response.json()) as { document: { scenes: { title?: { text: string } | null }[] } };
  return project.document.scenes[0]!.title?.text ?? null;
}

async function signIn(password: string) {
  await page.getByLabel("User name").fill(server.username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`Signed in as ${server.username}`)).toBeVisible();
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  page = await (await browser.newContext()).newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test("the editor's code loads only when a project is opened", async () => {
  await page.goto(server.baseUrl + "/");
  await signIn(server.password);
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  expect(scripts.some((path) => /\/assets\/index-[\w-]+\.js$/.test(path))).toBe(true);
  expect(scripts.filter((path) => /\/assets\/Editor-/.test(path))).toEqual([]);

  await page.getByLabel("Title").fill("History and account");
  await page.getByLabel("Script (one scene per paragraph)").fill(SCRIPT);
  await page.getByRole("button", { name: "Create from script" }).click();
  await expect(page.getByRole("heading", { name: "History and account" })).toBeVisible();
  projectId = page.url().split("/projects/")[1]!;
  expect(scripts.filter((path) => /\/assets\/Editor-/.test(path))).toHaveLength(1);
});

test("history: three edits, jump back to the first entry, then forward again", async () => {
  await page.getByRole("button", { name: /^Scene 1:/ }).click();
  const title = page.getByLabel("Title text");
  const original = await title.inputValue();
  for (const text of ["First title", "Second title", "Third title"]) {
    await title.fill(text);
    await title.blur();
    await expect(page.getByText("All changes saved")).toBeVisible();
    await expect.poll(sceneTitle).toBe(text);
  }

  await page.getByRole("tab", { name: "History" }).click();
  const entries = page.locator(".history-list li");
  await expect(entries).toHaveCount(4);
  await expect(entries.last()).toHaveAttribute("aria-current", "step");
  await shot("history-before-jump");

  // Back to the start: three undos, one after another.
  await entries.first().getByRole("button").click();
  await expect(entries.first()).toHaveAttribute("aria-current", "step");
  await expect(page.locator(".history-progress")).toHaveText("");
  await expect(title).toHaveValue(original);
  expect(await sceneTitle()).toBe(original || null);
  await expect(entries.nth(1)).toHaveClass(/is-undone/);
  await expect(entries.last()).toHaveClass(/is-undone/);
  await expect(page.getByRole("button", { name: "↷ Redo" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "↶ Undo" })).toBeDisabled();
  await shot("history-jumped-back");

  // And forward to the last edit: three redos.
  await entries.last().getByRole("button").click();
  await expect(entries.last()).toHaveAttribute("aria-current", "step");
  await expect(title).toHaveValue("Third title");
  expect(await sceneTitle()).toBe("Third title");
  await expect(page.getByRole("button", { name: "↷ Redo" })).toBeDisabled();

  // One step back to the middle.
  await entries.nth(2).getByRole("button").click();
  await expect(entries.nth(2)).toHaveAttribute("aria-current", "step");
  await expect(title).toHaveValue("Second title");
  expect(await sceneTitle()).toBe("Second title");
  await shot("history-jumped-to-middle");
});

test("account: the server's message for a short password, then set one and sign in with it", async () => {
  await page.getByRole("button", { name: "Account" }).click();
  const dialog = page.getByRole("dialog", { name: "Your account" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Signed in as ${server.username}`);

  const password = dialog.getByLabel("New password", { exact: true });
  const repeat = dialog.getByLabel("Repeat the new password");
  await password.fill("short");
  await repeat.fill("short");
  await dialog.getByRole("button", { name: "Save password" }).click();
  await expect(dialog.getByRole("alert")).toContainText("8");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await shot("account-password-too-short");

  await password.fill(NEW_PASSWORD);
  await repeat.fill(NEW_PASSWORD);
  await dialog.getByRole("button", { name: "Save password" }).click();
  await expect(dialog.getByRole("status")).toHaveText(/Password saved/);
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  expect(await axeViolations(page)).toEqual([]);
  await shot("account-password-saved");

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("button", { name: "Account" })).toBeFocused();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to reelforge" })).toBeVisible();
  await signIn(NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: "History and account" })).toBeVisible();
  await shot("account-signed-in-with-new-password");
});
