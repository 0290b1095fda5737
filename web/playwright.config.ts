import { defineConfig } from "@playwright/test";

// Drives the system Chromium (apt-get install chromium); never downloads a browser.
// Playwright starts it with a fresh temporary profile (user-data-dir) on every launch.
export default defineConfig({
  testDir: "./e2e",
  timeout: 150_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-artifacts/playwright",
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1500, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
      ],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
});
