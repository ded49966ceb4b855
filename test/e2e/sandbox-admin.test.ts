import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { execFile } from "node:child_process";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ARTIFACTS_DIR, launchBrowser, newPage } from "../helpers/browser";
import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process";

const run = promisify(execFile);

describe("npm run sandbox, driven by Chromium", () => {
  let sandbox: SandboxProcess;
  let browser: Browser;

  beforeAll(async () => {
    [sandbox, browser] = await Promise.all([startSandboxProcess(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  it("writes sandbox.json with everything the contract names", () => {
    expect(sandbox.info).toMatchObject({
      appUrl: expect.stringMatching(/^http:\/\/localhost:\d+$/),
      shop: "pointwise-sandbox.myshopify.com",
      apiKey: expect.any(String),
      apiSecret: expect.any(String),
      adminApiUrl: expect.stringMatching(/\/admin\/api\/2026-10\/graphql\.json$/),
      adminUrl: `${sandbox.info.appUrl}/sandbox/admin`,
      apiKeys: { fullAccess: expect.stringMatching(/^pw_/), readOnly: expect.stringMatching(/^pw_/) },
    });
    expect(sandbox.info).toHaveProperty("storefrontUrl");
  });

  it("GIVEN the adminUrl in a plain browser THEN the admin home renders in the Polaris frame, live", async () => {
    const page = await newPage(browser);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(sandbox.info.adminUrl);
    await page.getByRole("heading", { name: "Loyalty program for Pointwise Sandbox" }).waitFor();
    expect(await page.locator(".Polaris-Page").count()).toBe(1);
    expect(await page.locator("#pointwise-members").textContent()).toBe("4");
    // Hydrated: the App Bridge stand-in is there and the app's own requests carry a session token.
    expect(await page.evaluate(() => typeof (window as { shopify?: { idToken?: unknown } }).shopify?.idToken)).toBe(
      "function",
    );
    await page.screenshot({ path: join(ARTIFACTS_DIR, "admin-home.png"), fullPage: true });

    // Client-side navigation fetches loader data with `Authorization: Bearer <session token>`.
    const dataRequest = page.waitForRequest((request) => request.url().includes("_data=routes"));
    await page.getByRole("navigation").getByRole("link", { name: /Home/ }).click();
    const request = await dataRequest;
    expect(request.headers()["authorization"]).toMatch(/^Bearer ey/);
    expect((await request.response())?.status()).toBe(200);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("switches Shopify faults: down refuses connections, throttled answers THROTTLED, up restores", async () => {
    const faults = `${sandbox.info.appUrl}/sandbox/faults`;
    const set = (shopify: unknown) =>
      fetch(faults, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ shopify }),
      });
    const { accessToken } = JSON.parse(readFileSync(join(sandbox.dir, "data", "credentials.json"), "utf8")) as {
      accessToken: string;
    };
    const adminApi = () =>
      fetch(sandbox.info.adminApiUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });

    expect(await (await fetch(faults)).json()).toEqual({ shopify: "up" });
    expect((await set("sideways")).status).toBe(400);

    expect(await (await set("down")).json()).toEqual({ shopify: "down" });
    await expect(adminApi()).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });

    await set("throttled");
    const throttled = await adminApi();
    expect(throttled.status).toBe(200);
    expect(JSON.stringify(await throttled.json())).toContain("THROTTLED");

    await set("up");
    expect(await (await fetch(faults)).json()).toEqual({ shopify: "up" });
    expect(await (await adminApi()).json()).toMatchObject({ data: { shop: { name: "Pointwise Sandbox" } } });
  });

  it("turns Shopify's leaky-bucket throttling on and off", async () => {
    const throttling = `${sandbox.info.appUrl}/sandbox/throttling`;
    const set = (enabled: unknown) =>
      fetch(throttling, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ enabled }),
      });
    expect(await (await fetch(throttling)).json()).toEqual({ enabled: false });
    expect((await set("yes")).status).toBe(400);
    expect(await (await set(true)).json()).toEqual({ enabled: true });
    expect(await (await set(false)).json()).toEqual({ enabled: false });
  });

  it("npm run sandbox:webhook sends a signed webhook that the app acts on", async () => {
    const payload = join(sandbox.dir, "customer.json");
    writeFileSync(
      payload,
      JSON.stringify({ id: 9100000001, email: "Hedy@Example.com", first_name: "Hedy", last_name: "Lamarr" }),
    );
    const { stdout } = await run("npm", ["run", "--silent", "sandbox:webhook", "--", "customers/create", payload], {
      env: { ...process.env, POINTWISE_SANDBOX_DIR: sandbox.dir },
    });
    expect(stdout).toContain("POST /webhooks/customers/create → 200");

    // The storefront, through the sandbox's app proxy, now knows Hedy as a member.
    const response = await fetch(`${sandbox.info.appUrl}/apps/pointwise`, {
      headers: { "X-Sandbox-Customer": "9100000001" },
    });
    expect(await response.json()).toMatchObject({ customer: { loggedIn: true, member: true, firstName: "Hedy" } });
  });

  it("serves the REST API with sandbox.json's keys, through the app's real routing", async () => {
    const { appUrl, apiKeys } = sandbox.info;
    const post = (key: string) =>
      fetch(`${appUrl}/api/external/add-points`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-API-Key": key },
        body: JSON.stringify({ points: 10.5, customerEmail: "ada@example.com" }),
      });
    expect((await post(apiKeys.readOnly)).status).toBe(403);
    const added = await post(apiKeys.fullAccess);
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ availablePoints: 10.5, customerStatus: "ACTIVE" });
    const customer = await fetch(`${appUrl}/api/v1/customers/ada@example.com`, {
      headers: { Authorization: apiKeys.readOnly },
    });
    expect(await customer.json()).toMatchObject({ data: { type: "customer", attributes: { points: 10.5 } } });
    const unknown = await fetch(`${appUrl}/api/v1/no-such-thing`, { headers: { Authorization: apiKeys.readOnly } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toMatch(/application\/json/);
  });

  it("npm run sandbox:webhook refuses a topic the app does not subscribe to", async () => {
    const payload = join(sandbox.dir, "empty.json");
    writeFileSync(payload, "{}");
    await expect(
      run("npm", ["run", "--silent", "sandbox:webhook", "--", "products/create", payload], {
        env: { ...process.env, POINTWISE_SANDBOX_DIR: sandbox.dir },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('subscribes to no topic "products/create"') });
  });
});
