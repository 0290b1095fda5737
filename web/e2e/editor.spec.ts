/**
 * The editor end to end against a real `reelforge serve`: sign in, create a project from a
 * script, reorder, edit the product overlay, undo/redo, change voice and music, render a
 * preview and play it, share it and revoke the links, delete uploaded media. One screenshot per
 * step lands in web/test-artifacts/.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { axeViolations } from "./axe";
import { SECOND_VOICE, startServer, type Server } from "./server";

const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");
const SCRIPT = "Meet SmartBottle.\n\nIt keeps drinks cold.\n\nOrder yours today.";
const SCENE_SECONDS = 2;

let server: Server;
let page: Page;
let projectId = "";
let step = 0;

async function shot(name: string) {
  step += 1;
  await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function project() {
  const response = await page.request.get(`${server.baseUrl}/api/projects/${projectId}`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as {
    revision: number;
    document: {
      scenes: { id: string; narration: string; duration: number | null; voice?: { id: string } | null; productOverlay: { enabled: boolean; scale: number; position: { x: string; y: string } } }[];
      music: { volume: number };
      output: { resolution: number };
    };
  };
}

async function narrations() {
  return (await project()).document.scenes.map((s) => s.narration);
}

async function allSaved() {
  await expect(page.getByText("All changes saved")).toBeVisible();
}

/** The overlay preview once its image has loaded, as PNG bytes. */
async function previewPixels() {
  const preview = page.getByTestId("frame-preview");
  await expect(page.locator("figure.overlay-preview")).toHaveAttribute("aria-busy", "false");
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  return preview.screenshot();
}

async function chooseOption(label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test.describe.configure({ mode: "serial" });

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

test("sign in and create a project from a script", async () => {
  await page.goto(server.baseUrl + "/");
  await page.getByLabel("User name").fill(server.username);
  await page.getByLabel("Password").fill(server.password);
  await shot("sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();
  await page.getByLabel("Title").fill("E2E launch");
  await page.getByLabel("Script (one scene per paragraph)").fill(SCRIPT);
  await shot("project-list");
  await page.getByRole("button", { name: "Create from script" }).click();
  await expect(page.getByRole("heading", { name: "E2E launch" })).toBeVisible();
  projectId = page.url().split("/projects/")[1]!;
  await expect(page.getByTestId("scene-item")).toHaveCount(3);

  // Automatic durations come from the server's timeline (real narration), not the estimate.
  const timeline = await page.request.get(`${server.baseUrl}/api/projects/${projectId}/timeline`);
  expect(timeline.ok()).toBeTruthy();
  const resolved = (await timeline.json()) as { duration: number; scenes: { duration: number; auto: boolean }[] };
  expect(resolved.scenes.map((s) => s.auto)).toEqual([true, true, true]);
  for (const [i, scene] of resolved.scenes.entries()) {
    await expect(page.getByTestId("scene-item").nth(i).locator(".scene-duration")).toHaveText(`${scene.duration.toFixed(1)} s (auto)`);
  }
  await expect(page.getByTestId("total-duration")).toHaveText(`${resolved.duration.toFixed(1)} s`);

  // Small and quick: 360p, and fixed 2 s scenes so the video's length is known.
  await page.getByRole("tab", { name: "Output" }).click();
  await chooseOption("Resolution (short side)", "360p");
  await allSaved();
  for (let i = 1; i <= 3; i++) {
    await page.getByRole("button", { name: new RegExp(`^Scene ${i}:`) }).click();
    await page.getByRole("radio", { name: "Fixed" }).check();
    const seconds = page.getByLabel("Duration in seconds");
    await seconds.fill(String(SCENE_SECONDS));
    await seconds.blur();
    await allSaved();
  }
  await expect.poll(async () => (await project()).document.scenes.map((s) => s.duration)).toEqual([2, 2, 2]);
  expect((await project()).document.output.resolution).toBe(360);
  await page.getByRole("button", { name: /^Scene 1:/ }).click();
  await shot("editor");
});

test("reorder scenes by drag and drop, then by keyboard", async () => {
  const before = await narrations();
  const handle = page.getByRole("button", { name: "Drag scene 1 to reorder" });
  const target = page.getByTestId("scene-item").nth(2);
  const from = (await handle.boundingBox())!;
  const to = (await target.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(from.x + from.width / 2, from.y + ((to.y + to.height * 0.75 - from.y) * i) / 10);
  }
  await page.mouse.up();
  await expect.poll(narrations).toEqual([before[1], before[2], before[0]]);
  await allSaved();
  await expect(page.getByTestId("scene-item").first()).toContainText(before[1]!);
  await shot("reordered-by-drag");

  // Keyboard only: focus the handle, Space lifts, ArrowUp moves, Space drops.
  await page.getByRole("button", { name: "Drag scene 3 to reorder" }).focus();
  for (const key of ["Space", "ArrowUp", "ArrowUp", "Space"]) {
    await page.keyboard.press(key);
    await page.waitForTimeout(250); // let the sensor measure the new position, as a person would
  }
  await expect.poll(narrations).toEqual([before[0], before[1], before[2]]);
  await allSaved();
  await shot("reordered-by-keyboard");
});

test("product overlay: keyboard controls change the still preview; undo and redo", async () => {
  await page.getByRole("button", { name: /^Scene 1:/ }).click();
  await page.getByLabel("Upload product image").setInputFiles(server.productImage);
  await expect(page.getByRole("img", { name: "The product" })).toBeVisible();
  await allSaved();
  // The first product image shows the product where the draft puts it (scene 1: right, 45 %).
  const overlay = async () => (await project()).document.scenes[0]!.productOverlay;
  await expect.poll(async () => (await overlay()).enabled).toBe(true);
  const showProduct = page.getByRole("switch", { name: "Show the product" });
  await expect(showProduct).toHaveAttribute("aria-checked", "true");

  // Keyboard only: the switch off (the picture without the product), and on again.
  await showProduct.focus();
  await page.keyboard.press("Space");
  await expect.poll(async () => (await overlay()).enabled).toBe(false);
  await allSaved();
  const plain = await previewPixels();
  await showProduct.focus();
  await page.keyboard.press("Space");
  // The 3×3 position picker (arrows), the size slider.
  await page.getByRole("radio", { name: "center", exact: true }).focus();
  await page.keyboard.press("ArrowRight"); // center → right middle
  await page.getByRole("slider", { name: "Size", exact: true }).focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await allSaved();
  await expect.poll(async () => (await project()).document.scenes[0]!.productOverlay).toMatchObject({
    enabled: true, scale: 0.55, position: { x: "right", y: "center" },
  });
  const withProduct = await previewPixels();
  expect(withProduct.equals(plain)).toBe(false);
  await shot("overlay-on");

  // Undo (Ctrl+Z) puts the last overlay edit back, redo (Ctrl+Shift+Z) repeats it.
  const edited = (await project()).document.scenes[0]!.productOverlay;
  await page.getByRole("heading", { name: "Scenes" }).click();
  await page.keyboard.press("Control+z");
  await expect.poll(async () => (await project()).document.scenes[0]!.productOverlay).not.toEqual(edited);
  await allSaved();
  await shot("undone");
  await page.keyboard.press("Control+Shift+z");
  await expect.poll(async () => (await project()).document.scenes[0]!.productOverlay).toEqual(edited);
  await allSaved();
  await expect(page.getByRole("slider", { name: "Size", exact: true })).toHaveAttribute("aria-valuenow", "55");
  await page.getByRole("button", { name: "↶ Undo" }).click();
  await allSaved();
  await page.getByRole("button", { name: "↷ Redo" }).click();
  await allSaved();
  await expect.poll(async () => (await project()).document.scenes[0]!.productOverlay).toEqual(edited);
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.locator(".history-list li[aria-current=step]")).toContainText("Overlay");
  await shot("history");
});

test("regenerate the voiceover with another voice, change the music volume", async () => {
  await page.getByRole("tab", { name: "Voice" }).click();
  await page.getByRole("radio", { name: /Copycat/ }).check();
  await page.getByRole("button", { name: "Regenerate all scenes" }).click();
  await expect(page.getByText(/Voiceover regenerated with Copycat/)).toBeVisible();
  await expect.poll(async () => (await project()).document.scenes.map((s) => s.voice?.id)).toEqual([SECOND_VOICE, SECOND_VOICE, SECOND_VOICE]);
  await shot("voice");

  await page.getByRole("tab", { name: "Music" }).click();
  await page.getByRole("slider", { name: "Music volume" }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
  await expect.poll(async () => (await project()).document.music.volume).toBeCloseTo(0.1, 5);
  await allSaved();
  await shot("music");
});

test("a server error shows next to its control; a conflicting edit reloads the project", async () => {
  await page.getByRole("button", { name: /^Scene 2:/ }).click();
  const seconds = page.getByLabel("Duration in seconds");
  await seconds.fill("0.1");
  await seconds.blur();
  const durationGroup = page.getByRole("group", { name: "Duration" });
  await expect(durationGroup.getByRole("alert")).toContainText("duration");
  await shot("field-error");
  await seconds.fill(String(SCENE_SECONDS));
  await seconds.blur();
  await allSaved();
  await expect(durationGroup.getByRole("alert")).toHaveCount(0);

  // Someone else renames the project; the editor's next edit gets 409 and reloads.
  const { revision } = await project();
  const rename = await page.request.patch(`${server.baseUrl}/api/projects/${projectId}`, {
    headers: { "If-Match": String(revision), "X-Requested-With": "e2e" },
    data: { title: "Renamed elsewhere" },
  });
  expect(rename.ok()).toBeTruthy();
  await page.getByRole("tab", { name: "Music" }).click();
  await page.getByRole("button", { name: "New variation" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "changed elsewhere" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Renamed elsewhere" })).toBeVisible();
  await shot("conflict-reloaded");
  await page.getByRole("button", { name: "Dismiss" }).click();
});

test("the editor has no serious or critical accessibility violations", async () => {
  await page.getByRole("tab", { name: "Voice" }).click();
  expect(await axeViolations(page)).toEqual([]);
});

test("render a preview, follow its progress to 100 %, and play it", async () => {
  await page.getByRole("tab", { name: "Render" }).click();
  await page.getByRole("button", { name: "Render preview" }).click();
  const progress = page.getByRole("progressbar", { name: "Preview progress" });
  await expect(progress).toBeVisible();
  await shot("render-progress");
  const seen = new Set<string>();
  const percent = page.getByTestId("render-percent");
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const text = (await percent.textContent().catch(() => null)) ?? "";
    seen.add(text);
    if (text === "100 %" && (await page.getByTestId("render-video").count())) break;
    await page.waitForTimeout(100);
  }
  expect([...seen]).toContain("100 %");
  expect(seen.size).toBeGreaterThan(1); // it moved while we watched
  await expect(page.getByRole("link", { name: "Download MP4" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download SRT" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Download VTT" })).toBeVisible();

  const video = page.getByTestId("render-video");
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Math.abs(duration - 3 * SCENE_SECONDS)).toBeLessThan(0.1);
  // The editor's total (the server's timeline, no "≈") is the video's length.
  await expect(page.getByTestId("total-duration")).toHaveText(/^\d+\.\d s$/);
  const shown = parseFloat((await page.getByTestId("total-duration").textContent()) ?? "");
  expect(Math.abs(duration - shown)).toBeLessThan(0.1);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  await video.evaluate((v: HTMLVideoElement) => v.pause());

  await page.getByRole("button", { name: "Create share link" }).click();
  const shareUrl = await page.getByLabel("Share link (valid 7 days)").inputValue();
  expect(shareUrl).toContain("/api/shared/");
  const shared = await fetch(shareUrl, { method: "GET", headers: { Range: "bytes=0-99" } });
  expect([200, 206]).toContain(shared.status);
  await shot("rendered");
});

test("revoke the render's share links: the old link answers 410, a new one works", async () => {
  const shareInput = page.getByLabel("Share link (valid 7 days)");
  const oldUrl = await shareInput.inputValue();
  expect((await page.request.get(oldUrl)).status()).toBe(200);

  const revoke = page.getByRole("button", { name: "Revoke links" });
  await revoke.click();
  const dialog = page.getByRole("dialog", { name: "Revoke this render’s share links?" });
  await expect(dialog).toBeVisible();
  expect((await page.request.get(oldUrl)).status()).toBe(200); // nothing happens before confirming
  expect(await axeViolations(page)).toEqual([]);
  await shot("revoke-confirm");
  await dialog.getByRole("button", { name: "Revoke all links" }).click();
  await expect(page.getByRole("status").filter({ hasText: "links created before now no longer work" })).toBeVisible();
  await expect(shareInput).toHaveCount(0);
  await expect(revoke).toBeFocused();
  expect((await page.request.get(oldUrl)).status()).toBe(410);
  await shot("links-revoked");

  await page.getByRole("button", { name: "Create share link" }).click();
  await expect(shareInput).toBeVisible();
  const newUrl = await shareInput.inputValue();
  expect(newUrl).not.toBe(oldUrl);
  expect((await page.request.get(newUrl)).status()).toBe(200);
  expect((await page.request.get(oldUrl)).status()).toBe(410);
});

test("media: an unused upload can be deleted; the project's product image cannot", async () => {
  const upload = await page.request.post(`${server.baseUrl}/api/assets`, {
    headers: { "X-Requested-With": "e2e" },
    multipart: { file: { name: "spare.png", mimeType: "image/png", buffer: readFileSync(server.spareImage) } },
  });
  expect(upload.status()).toBe(201);
  const spare = (await upload.json()) as { id: string };

  await page.getByRole("tab", { name: "Media" }).click();
  const items = page.getByTestId("media-item");
  await expect(items).toHaveCount(2);
  const product = items.filter({ hasText: "product.png" });
  const productDelete = product.getByRole("button", { name: "Delete product.png" });
  await productDelete.click();
  await page.getByRole("dialog", { name: "Delete “product.png”?" }).getByRole("button", { name: "Delete file" }).click();
  await expect(product.getByRole("alert")).toContainText("Renamed elsewhere"); // the project that uses it
  await expect(productDelete).toBeFocused();
  await expect(items).toHaveCount(2);
  expect(await axeViolations(page)).toEqual([]);
  await shot("media-in-use");

  await page.getByRole("button", { name: "Delete spare.png" }).click();
  await page.getByRole("dialog", { name: "Delete “spare.png”?" }).getByRole("button", { name: "Delete file" }).click();
  await expect(items).toHaveCount(1);
  await expect(items).toContainText("product.png");
  await expect(page.getByRole("heading", { name: "Media" })).toBeFocused();
  await expect(page.getByRole("status").filter({ hasText: "Deleted spare.png." })).toBeVisible();
  const listed = (await (await page.request.get(`${server.baseUrl}/api/assets`)).json()) as { id: string }[];
  expect(listed.map((a) => a.id)).not.toContain(spare.id);
  expect(listed).toHaveLength(1);
  await shot("media-deleted");
});
