import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { SandboxInfo } from "../../sandbox/sandbox";

/** A sandbox started exactly as a developer starts it (`npm run sandbox`), in a folder of its own. */
export interface SandboxProcess {
  info: SandboxInfo;
  dir: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startSandboxProcess(options: { timeoutMs?: number } = {}): Promise<SandboxProcess> {
  const dir = mkdtempSync(join(tmpdir(), "pointwise-sandbox-"));
  let output = "";
  // Vitest sets NODE_ENV=test; the sandbox is development.
  const child: ChildProcess = spawn("npm", ["run", "--silent", "sandbox"], {
    env: { ...process.env, NODE_ENV: "development", PORT: "0", POINTWISE_SANDBOX_DIR: dir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const infoFile = join(dir, "sandbox.json");
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!existsSync(infoFile)) {
    if (child.exitCode !== null) throw new Error(`The sandbox exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The sandbox did not start in time:\n${output}`);
    await new Promise((resume) => setTimeout(resume, 250));
  }
  const info = JSON.parse(readFileSync(infoFile, "utf8")) as SandboxInfo;
  return {
    info,
    dir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((done) => child.once("exit", done));
        process.kill(-child.pid, "SIGINT");
        await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
        if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
