/**
 * The render panel plays a render's HLS ladder with hls.js in Chromium, against a real
 * `reelforge serve`: a 3 s 720p project rendered with `formats: ["hls"]` (preview: 480p + 360p).
 */
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer, type Server } from "./server";

const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");
const HEADERS = { "X-Requested-With": "reelforge-web" };

let server: Server;
let page: Page;

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

test("the render panel plays the HLS output with hls.js", async () => {
  await page.goto(server.baseUrl + "/");
  await page.getByLabel("User name").fill(server.username);
  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects", exact: true })).toBeVisible();

  const scene = (color: string) => ({ duration: 1.5, visual: { type: "color", color } });
  const document = {
    title: "HLS",
    output: { aspect: "16:9", resolution: 720, fps: 24 },
    music: { enabled: false },
    captions: { enabled: false },
    scenes: [scene("#E11D48"), scene("#0EA5E9")],
  };
  const created = await page.request.post(`${server.baseUrl}/api/projects`, { data: { document }, headers: HEADERS });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { id: string }).id;

  await page.reload();
  await page.getByRole("link", { name: "HLS", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(projectId));
  await page.getByRole("tab", { name: "Render" }).click();
  await page.getByLabel(/Also make an HLS stream/).check();
  const segments: string[] = [];
  page.on("response", (response) => {
    if (/\/hls\/.+\.(m4s|m3u8|mp4)$/.test(response.url())) segments.push(`${response.status()} ${response.url()}`);
  });
  await page.getByRole("button", { name: "Render preview" }).click();
  const video = page.getByTestId("render-video");
  await expect(video).toBeVisible({ timeout: 120_000 });
  await expect(video).toHaveAttribute("data-source", "hls");
  await expect(page.getByRole("link", { name: "HLS playlist" })).toBeVisible();

  // hls.js attaches a MediaSource (a blob: URL), never the MP4
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/^blob:/);
  const duration = await video.evaluate((v: HTMLVideoElement) => v.duration);
  expect(Math.abs(duration - 3)).toBeLessThan(0.15);
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(1.0);
  await page.screenshot({ path: join(ARTIFACTS, "hls-player.png"), fullPage: true });
  expect(segments.some((s) => s.startsWith("200 ") && s.endsWith("/hls/master.m3u8"))).toBe(true);
  expect(segments.some((s) => /^200 .*\/hls\/(480p|360p)\/seg_\d+\.m4s$/.test(s))).toBe(true);
  expect(segments.some((s) => s.includes(".mp4") && !s.includes("init.mp4"))).toBe(false);
});
