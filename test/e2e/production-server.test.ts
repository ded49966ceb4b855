import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Runs `npm start` (the production server) until it answers, or until it exits. */
async function startProduction(env: Record<string, string | undefined>) {
  const port = await freePort();
  let output = "";
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (output.includes("listening")) break;
    await new Promise((resume) => setTimeout(resume, 200));
  }
  return {
    url,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}

describe("production mode never exposes the sandbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "pointwise-production-"));
  const databaseUrl = `file:${join(dir, "production.db")}`;
  const productionEnv = {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "production-client-id",
    SHOPIFY_API_SECRET: "production-client-secret",
    ENCRYPTION_KEY: "cHJvZHVjdGlvbi10ZXN0IGVuY3J5cHRpb24ga2V5ISE=",
    SHOPIFY_APP_URL: "https://pointwise.example.com",
    DATABASE_URL: databaseUrl,
    POINTWISE_SANDBOX_ADMIN_API_URL: undefined,
  };
  let server: Awaited<ReturnType<typeof startProduction>>;

  beforeAll(async () => {
    await run("npm", ["run", "--silent", "build"], { env: { ...process.env, NODE_ENV: "production" } });
    await run("npm", ["run", "--silent", "db:deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    server = await startProduction(productionEnv);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the app", async () => {
    expect((await fetch(server.url)).status).toBe(200);
  });

  it.each([
    ["GET", "/sandbox/faults"],
    ["POST", "/sandbox/faults"],
    ["GET", "/sandbox/app-bridge.js"],
    ["GET", "/sandbox/session-token"],
    ["GET", "/sandbox/admin"],
    ["GET", "/apps/pointwise"],
  ])("%s %s answers 404", async (method, path) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(method === "POST" ? { headers: { "Content-Type": "application/json" }, body: '{"shopify":"down"}' } : {}),
    });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("__POINTWISE_SANDBOX__");
  });

  it("refuses to start when the sandbox's Admin API is configured", async () => {
    const refused = await startProduction({ ...productionEnv, POINTWISE_SANDBOX_ADMIN_API_URL: "http://127.0.0.1:9" });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("POINTWISE_SANDBOX_ADMIN_API_URL must not be set in production");
  });

  it("refuses to start without its secret, naming the variable", async () => {
    const refused = await startProduction({ ...productionEnv, SHOPIFY_API_SECRET: "" });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("SHOPIFY_API_SECRET");
  });

  it("refuses to start with a malformed ENCRYPTION_KEY, naming it without echoing it", async () => {
    const refused = await startProduction({ ...productionEnv, ENCRYPTION_KEY: "not-a-32-byte-key" });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("ENCRYPTION_KEY must be 32 random bytes");
    expect(refused.output()).not.toContain("not-a-32-byte-key");
  });

  it("npm run sandbox refuses NODE_ENV=production", async () => {
    await expect(
      run("npm", ["run", "--silent", "sandbox"], { env: { ...process.env, NODE_ENV: "production" } }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("refuses to start with NODE_ENV=production"),
    });
  });
});
