/**
 * The live preview in the editor against a real `reelforge serve`: the HLS player plays the
 * whole project, the timeline seeks and selects scenes, the keys work, an edit refreshes the
 * player at the same position and undo brings the earlier picture back. Screenshots land in
 * web/test-artifacts/preview-*.png.
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
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

/** The colour of the picture (the player's own pixels) at a point, in fractions of its size. */
async function pictureColour(fx = 0.5, fy = 0.5) {
  return video().evaluate((v: HTMLVideoElement, [x, y]) => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 90;
    const context = canvas.getContext("2d")!;
    context.drawImage(v, 0, 0, 160, 90);
    const [r, g, b] = context.getImageData(Math.floor(x! * 160), Math.floor(y! * 90), 1, 1).data;
    return [r!, g!, b!];
  }, [fx, fy]);
}

async function overlayPosition() {
  const response = await page.request.get(`${server.baseUrl}/api/projects/${projectId}`);
  const body = (await response.json()) as { document: { scenes: { productOverlay: { position: { x: string; y: string } } }[] } };
  const { x, y } = body.document.scenes[2]!.productOverlay.position;
  return `${y} ${x}`;
}

async function projectRevision() {
  const response = await page.request.get(`${server.baseUrl}/api/projects/${projectId}`);
  return ((await response.json()) as { revision: number }).revision;
}

const isBlue = ([r, g, b]: number[]) => b! > 150 && r! < 100 && g! < 100;

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
  const upload = await page.request.post(`${server.baseUrl}/api/assets`, {
    headers: { "X-Requested-With": "e2e" },
    multipart: { file: { name: "product.png", mimeType: "image/png", buffer: readFileSync(server.productImage) } },
  });
  expect(upload.ok()).toBeTruthy();
  const product = ((await upload.json()) as { ref: string }).ref;
  const created = await page.request.post(`${server.baseUrl}/api/projects`, {
    headers: { "X-Requested-With": "e2e" },
    data: {
      document: {
        title: "Preview e2e",
        output: { aspect: "16:9", resolution: 360, fps: 24 },
        music: { enabled: false },
        product: { image: product },
        scenes: [
          { id: "red", duration: 2, narration: "Meet SmartBottle.", visual: { type: "color", color: "#D02020" },
            transition: { type: "crossfade", duration: 0.4 } },
          { id: "green", duration: 2, visual: { type: "color", color: "#20B040" } },
          { id: "blue", duration: 2, visual: { type: "color", color: "#2040D0" }, title: { text: "Blue" },
            productOverlay: { enabled: true, position: { x: "center", y: "center" }, scale: 0.3, animation: "none" } },
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
  await expect.poll(() => pictureColour(0.1, 0.1).then(isBlue)).toBe(true); // the blue scene
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

test("the overlay drags to another cell; the player shows it; undo puts it back", async () => {
  await page.getByRole("button", { name: /^Scene 3,/ }).click();
  const scrub = page.getByTestId("timeline-scrub");
  const bar = (await scrub.boundingBox())!;
  await page.mouse.click(bar.x + bar.width * 0.9, bar.y + bar.height / 2); // 5.4 s, in scene 3
  await expect.poll(currentTime).toBeCloseTo(5.4, 0);
  // the top-left cell's middle: blue picture now; the product's middle is white
  const cell = { fx: 0.05 + (0.3 * 9) / 16 / 2, fy: 0.05 + 0.15 };
  await expect.poll(() => pictureColour(cell.fx, cell.fy).then(isBlue)).toBe(true);
  expect(isBlue(await pictureColour())).toBe(false); // the product in the middle
  const boxEl = page.getByTestId("overlay-box");
  const from = (await boxEl.boundingBox())!;
  const stage = (await page.getByTestId("overlay-stage").boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.2, stage.y + stage.height * 0.25, { steps: 8 });
  await expect(page.locator(".safe-area")).toBeVisible();
  await shot("overlay-dragging");
  await page.mouse.up();
  await expect.poll(overlayPosition).toBe("top left");
  await expect(page.getByRole("radio", { name: /top left/i })).toBeChecked();
  await expect.poll(() => pictureColour(cell.fx, cell.fy).then(isBlue), { timeout: 30_000 }).toBe(false);
  await expect.poll(() => pictureColour().then(isBlue)).toBe(true);
  await shot("overlay-moved");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect.poll(overlayPosition).toBe("center center");
  await expect.poll(() => pictureColour(cell.fx, cell.fy).then(isBlue), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => pictureColour().then(isBlue)).toBe(false);

  // the corner handle resizes, within the controls' 10–80 %
  const handle = page.getByTestId("overlay-resize");
  await handle.focus();
  await page.keyboard.press("ArrowRight");
  await expect(handle).toHaveAttribute("aria-valuenow", "31");
  await expect(page.getByText("31 %").first()).toBeVisible();
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  await page.mouse.move(h.x + 2000, h.y, { steps: 4 });
  await page.mouse.up();
  await expect(handle).toHaveAttribute("aria-valuenow", "80");
  // two edits in quick succession: the player still comes back to the same place
  await expect.poll(currentTime, { timeout: 30_000 }).toBeCloseTo(5.4, 1);
  await expect(video()).toHaveAttribute("data-revision", String((await projectRevision())));
  await shot("overlay-resized");
});

test("the preview has no serious or critical accessibility violations", async () => {
  expect(await axeViolations(page)).toEqual([]);
});
