import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Database } from "~/db.server";

import { startSandboxProcess, type SandboxProcess } from "../helpers/sandbox-process";

// The REST API through a real socket: `npm run sandbox` serves it (Express, Remix's adapter, the
// simulated Shopify), and these requests come over HTTP with the sandbox's own keys, in parallel.

type Json = Record<string, unknown>;

describe("the REST API over HTTP, against npm run sandbox", () => {
  let sandbox: SandboxProcess;
  let db: Database;
  let fullKey: string;

  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    fullKey = sandbox.info.apiKeys.fullAccess;
    // This suite is about races, not rate limits: lift the full-access key's limit for it.
    db = openDatabase(`file:${join(sandbox.dir, "data", "pointwise.db")}`);
    await db.apiKey.updateMany({ data: { rateLimitPerSecond: 10_000, rateLimitBurst: 10_000 } });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await sandbox?.stop();
  });

  const call = async (
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${sandbox.info.appUrl}${path}`, {
      method,
      headers: { Authorization: fullKey, "Content-Type": "application/json", ...options.headers },
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    expect(response.headers.get("Content-Type"), `${method} ${path}: ${text.slice(0, 200)}`).toMatch(
      /^application\/json/,
    );
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Json };
  };

  const pointsOf = async (identifier: string) => {
    const { body } = await call("GET", `/api/v1/customers/${encodeURIComponent(identifier)}`);
    return ((body.data as Json).attributes as Json).points as number;
  };

  /** Sets the member's balance to exactly `target` points through the API. */
  const setPoints = async (identifier: string, target: number) => {
    const current = await pointsOf(identifier);
    if (current !== target) {
      const adjusted = await call("POST", `/api/v1/customers/${encodeURIComponent(identifier)}/points`, {
        body: { points: target - current, note: "e2e setup", send_email: false },
      });
      expect(adjusted.status).toBe(201);
    }
    expect(await pointsOf(identifier)).toBe(target);
  };

  it("50 parallel purchases by a member who can afford 3 → exactly three 201s, each with its own discount code", async () => {
    const reward = await call("POST", "/api/v1/rewards", {
      body: { name: "E2E $5 off", discount_type: "fixed_amount", points_cost: 100, discount_amount: 5 },
    });
    expect(reward.status).toBe(201);
    const rewardId = (reward.body.data as Json).id as string;
    await setPoints("grace@example.com", 300);

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call("POST", `/api/v1/rewards/${rewardId}/purchase`, { body: { customer_identifier: "grace@example.com" } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 422)).toHaveLength(47);
    const codes = answers
      .filter((answer) => answer.status === 201)
      .map((answer) => ((answer.body.data as Json).attributes as Json).discount_code);
    expect(new Set(codes).size).toBe(3);
    const refused = answers.find((answer) => answer.status === 422);
    expect(refused?.body).toEqual({
      errors: [
        { status: "422", title: "Insufficient Points", detail: "Customer has 0 points but this reward costs 100" },
      ],
    });
    expect(await pointsOf("grace@example.com")).toBe(0);
  });

  it("20 parallel awards of one social rule → one 201 and nineteen 409s", async () => {
    const rule = await call("POST", "/api/v1/earning-rules", {
      body: { name: "E2E follow", category: "social", action: "follow_on_tiktok", points_to_give: 25 },
    });
    expect(rule.status).toBe(201);
    const ruleId = (rule.body.data as Json).id as string;
    const before = await pointsOf("alan@example.com");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call("POST", `/api/v1/earning-rules/${ruleId}/award`, { body: { customer_identifier: "alan@example.com" } }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(19);
    expect(await pointsOf("alan@example.com")).toBe(before + 25);
  });

  it("20 parallel requests with one Idempotency-Key → one effect; a later retry replays it", async () => {
    const before = await pointsOf("ada@example.com");
    const request = () =>
      call("POST", "/api/external/add-points", {
        body: { customerEmail: "ADA@example.com", points: 7.25, note: "e2e idempotency" },
        headers: { Authorization: "", "X-API-Key": fullKey, "Idempotency-Key": "e2e-add-points-1" },
      });
    const answers = await Promise.all(Array.from({ length: 20 }, request));
    // The first runs; the others either wait for nothing (409, still running) or replay it (200).
    expect(answers.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    expect(await pointsOf("ada@example.com")).toBe(before + 7.25);
    const retry = await request();
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await pointsOf("ada@example.com")).toBe(before + 7.25);
  });

  it("GIVEN Shopify down THEN a purchase answers 503 with Retry-After and keeps every point", async () => {
    const reward = await call("POST", "/api/v1/rewards", {
      body: { name: "E2E free shipping", discount_type: "free_shipping", points_cost: 50 },
    });
    expect(reward.status).toBe(201);
    await setPoints("katherine@example.com", 120);
    const fault = await fetch(`${sandbox.info.appUrl}/sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shopify: "down" }),
    });
    expect(fault.status).toBe(200);
    try {
      const purchase = await call("POST", `/api/v1/rewards/${(reward.body.data as Json).id as string}/purchase`, {
        body: { customer_identifier: "katherine@example.com" },
      });
      expect(purchase.status).toBe(503);
      expect(purchase.headers.get("Retry-After")).toBe("30");
      expect(purchase.body).toMatchObject({ errors: [{ status: "503", title: "Service Unavailable" }] });
      expect(await pointsOf("katherine@example.com")).toBe(120);
    } finally {
      await fetch(`${sandbox.info.appUrl}/sandbox/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ shopify: "up" }),
      });
    }
  });

  it("answers JSON in the tree's format, never HTML: unknown path, wrong method, bad JSON, 2 MB body, no key", async () => {
    const unknown = await call("GET", "/api/v1/no-such-endpoint");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ errors: [{ status: "404" }] });
    const appstleUnknown = await call("GET", "/api/external/no-such-endpoint");
    expect(appstleUnknown.status).toBe(404);
    expect(appstleUnknown.body).toMatchObject({ status: 404, path: "/api/external/no-such-endpoint" });
    const wrongMethod = await call("DELETE", "/api/external/add-points");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("Allow")).toBe("POST");
    const badJson = await call("POST", "/api/v1/rewards", { rawBody: "{name:" });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toEqual({
      errors: [{ status: "400", title: "Bad Request", detail: "The request body is not valid JSON" }],
    });
    const huge = await call("POST", "/api/v1/rewards", { rawBody: JSON.stringify({ name: "x".repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
    const noKey = await call("GET", "/api/v1/customers", { headers: { Authorization: "" } });
    expect(noKey.status).toBe(401);
    const openapi = await fetch(`${sandbox.info.appUrl}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as Json).openapi).toBe("3.1.0");
  });
});
