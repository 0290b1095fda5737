/**
 * The live preview in the editor against a real `reelforge serve`: the HLS player plays the
 * whole project, the timeline seeks and selects scenes, the keys work, an edit refreshes the
 * player at the same position and undo brings the earlier picture back. Screenshots land in
 * web/test-artifacts/preview-*.png.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { axeViolations } from "./axe";
import { startServer, type Server } from "./server";

const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");
const FPS = 15;
const TOTAL = 6;

let server: Server;
let page: Page;
let projectId = "";

const video = () => page.getByTestId("preview-video");
const currentTime = () => video().evaluate((v: HTMLVideoElement) => v.currentTime);

async function shot(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `preview-${name}.png`), fullPage: true });
}

/** The average colour of the middle of the picture (the player's own pixels). */
async function pictureColour() {
  return video().evaluate((v: HTMLVideoElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 18;
    const context = canvas.getContext("2d")!;
    context.drawImage(v, 0, 0, 32, 18);
    const [r, g, b] = context.getImageData(16, 9, 1, 1).data;
    return [r, g, b];
  });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  page = await (await browser.newContext()).newPage();
  page.on("pageerror", (error) => console.error("page error:", error.message));
  await page.goto(server.baseUrl + "/");
  await page.getByLabel("User name").fill(server.username);
  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /projects/i }).first()).toBeVisible();
  const created = await page.request.post(`${server.baseUrl}/api/projects`, {
    headers: { "X-Requested-With": "e2e" },
    data: {
      document: {
        title: "Preview e2e",
        output: { aspect: "16:9", resolution: 360, fps: 24 },
        music: { enabled: false },
        scenes: [
          { id: "red", duration: 2, narration: "Meet SmartBottle.", visual: { type: "color", color: "#D02020" },
            transition: { type: "crossfade", duration: 0.4 } },
          { id: "green", duration: 2, visual: { type: "color", color: "#20B040" } },
          { id: "blue", duration: 2, visual: { type: "color", color: "#2040D0" }, title: { text: "Blue" } },
        ],
      },
    },
  });
  expect(created.ok()).toBeTruthy();
  projectId = ((await created.json()) as { id: string }).id;
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
});

test("the player plays the whole project", async () => {
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole("link", { name: /Preview e2e/ }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}$`));
  await expect(page.getByRole("heading", { name: "Preview e2e" })).toBeVisible();
  await expect(page.getByTestId("transition-marker")).toHaveCount(1);
  await expect(page.getByTestId("narration-tick")).toHaveCount(1);
  await expect.poll(() => video().evaluate((v: HTMLVideoElement) => v.duration), { timeout: 60_000 }).toBeCloseTo(TOTAL, 1);
  await video().focus();
  await page.keyboard.press(" ");
  await expect.poll(currentTime).toBeGreaterThan(0.5);
  await page.keyboard.press("k");
  expect(await video().evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  await shot("playing");
});

test("clicking the timeline seeks, and a block selects its scene", async () => {
  const scrub = page.getByTestId("timeline-scrub");
  const box = (await scrub.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
  await expect.poll(currentTime).toBeCloseTo(0.75 * TOTAL, 0);
  await expect.poll(pictureColour).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
  const [r, , b] = await pictureColour();
  expect(b).toBeGreaterThan(r); // the blue scene
  await page.getByRole("button", { name: /^Scene 2,/ }).click();
  await expect(page.getByRole("button", { name: /^Scene 2,/ })).toHaveAttribute("aria-pressed", "true");
  await expect.poll(currentTime).toBeCloseTo(2, 1);
  await shot("seeked");
});

test("keys step frames and seconds", async () => {
  await page.getByTestId("timeline-scrub").focus();
  const start = await currentTime();
  await page.keyboard.press("ArrowRight");
  await expect.poll(currentTime).toBeCloseTo(start + 1 / FPS, 2);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await expect.poll(currentTime).toBeCloseTo(start - 1 / FPS, 2);
  await page.keyboard.press("l");
  await expect.poll(currentTime).toBeGreaterThan(start + 0.3);
  await page.keyboard.press("k");
  const paused = await currentTime();
  await page.keyboard.press("j");
  await expect.poll(currentTime).toBeCloseTo(paused - 1, 1);
});

test("an edit refreshes the player at the same place; undo restores it", async () => {
  await page.getByRole("button", { name: /^Scene 1,/ }).click();
  const scrub = page.getByTestId("timeline-scrub");
  const box = (await scrub.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height / 2); // in the red scene
  await expect.poll(currentTime).toBeCloseTo(1.2, 0);
  const position = await currentTime();
  const before = await video().getAttribute("data-revision");
  await page.getByLabel("Title text").fill("Edited in the preview test");
  await page.getByLabel("Title text").blur();
  await expect(page.getByText("All changes saved")).toBeVisible();
  await expect(video()).not.toHaveAttribute("data-revision", before ?? "");
  await expect.poll(currentTime, { timeout: 30_000 }).toBeCloseTo(position, 1);
  const [r, , b] = await pictureColour();
  expect(r).toBeGreaterThan(b);
  await shot("edited");
  const edited = await video().getAttribute("data-revision");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByLabel("Title text")).toHaveValue("");
  await expect(video()).not.toHaveAttribute("data-revision", edited ?? "");
  await expect.poll(currentTime, { timeout: 30_000 }).toBeCloseTo(position, 1);
  await shot("undone");
});

test("the preview has no serious or critical accessibility violations", async () => {
  expect(await axeViolations(page)).toEqual([]);
});
