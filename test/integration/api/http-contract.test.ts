import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { takeToken } from "~/lib/rate-limit.server";
import { adjustPoints } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createEarningRule, createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
let shopId: string;
let key: string;

const AWARD = "app/routes/api.v1.earning-rules.$id.award.tsx";
const PURCHASE = "app/routes/api.v1.rewards.$id.purchase.tsx";
const ADD = "app/routes/api.external.add-points.tsx";

const award = (ruleId: string, body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("action", AWARD, apiRequest("POST", `/api/v1/earning-rules/${ruleId}/award`, { key, body, ...options }), {
    id: ruleId,
  });

describe("the REST API's HTTP contract: rate limits, Idempotency-Key, races through HTTP", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
  });

  describe("rate limits", () => {
    it("answers RateLimit-Limit / -Remaining / -Reset on every response, 20/s with bursts of 40 by default", async () => {
      const member = await createMember(db, shopId);
      const rule = await createEarningRule(db, shopId);
      const defaultKey = await createKey(db, shopId);
      await db.apiKey.updateMany({
        where: { prefix: defaultKey.slice(0, 12) },
        data: { rateLimitPerSecond: null, rateLimitBurst: null },
      });
      const response = await award(rule.id, { customer_identifier: member.email }, { key: defaultKey });
      expect(response.headers.get("RateLimit-Limit")).toBe("20");
      expect(Number(response.headers.get("RateLimit-Remaining"))).toBeLessThan(40);
      expect(Number(response.headers.get("RateLimit-Reset"))).toBeGreaterThanOrEqual(0);
    });

    it("GIVEN a key limited to 2 a second THEN the third request at once is a 429 in the door's format with Retry-After", async () => {
      const limited = await createKey(db, shopId);
      await db.apiKey.updateMany({
        where: { prefix: limited.slice(0, 12) },
        data: { rateLimitPerSecond: 2, rateLimitBurst: 2 },
      });
      const member = await createMember(db, shopId);
      const add = () =>
        callRoute(
          "action",
          ADD,
          apiRequest("POST", "/api/external/add-points", {
            key: limited,
            body: { points: 1, customerEmail: member.email },
          }),
        );
      expect((await add()).status).toBe(200);
      expect((await add()).status).toBe(200);
      const refused = await add();
      expect(refused.status).toBe(429);
      expect(refused.headers.get("Retry-After")).toBe("1");
      expect(refused.headers.get("RateLimit-Remaining")).toBe("0");
      expect(await refused.json()).toMatchObject({ status: 429, error: "Too Many Requests" });
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(2));
    });

    it("refills with time and never hands out more than the burst, even to parallel requests", async () => {
      const keyId = `bucket-${Date.now()}`;
      const start = 1_000_000;
      const results = await Promise.all(
        Array.from({ length: 12 }, () => takeToken(db, keyId, { rate: 5, burst: 5, nowMs: start })),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
      expect((await takeToken(db, keyId, { rate: 5, burst: 5, nowMs: start + 199 })).allowed).toBe(false);
      expect((await takeToken(db, keyId, { rate: 5, burst: 5, nowMs: start + 200 })).allowed).toBe(true);
    });
  });

  describe("Idempotency-Key", () => {
    it("GIVEN the same key and body THEN the stored status and body come back with Idempotent-Replayed, and it acts once", async () => {
      const member = await createMember(db, shopId);
      const rule = await createEarningRule(db, shopId, { oncePerMember: false });
      const headers = { "Idempotency-Key": `award-${member.id}` };
      const first = await award(rule.id, { customer_identifier: member.email }, { headers });
      const second = await award(rule.id, { customer_identifier: member.email }, { headers });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.headers.get("Idempotent-Replayed")).toBe("true");
      expect(first.headers.get("Idempotent-Replayed")).toBeNull();
      expect(await second.json()).toEqual(await first.json());
      expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    });

    it("GIVEN the same key with another body THEN 422; while the first still runs THEN 409", async () => {
      const member = await createMember(db, shopId);
      const rule = await createEarningRule(db, shopId, { oncePerMember: false });
      const headers = { "Idempotency-Key": `other-${member.id}` };
      await award(rule.id, { customer_identifier: member.email }, { headers });
      const different = await award(rule.id, { customer_identifier: `${member.email}`.toUpperCase() }, { headers });
      expect(different.status).toBe(422);
      expect(await different.json()).toMatchObject({
        errors: [{ detail: expect.stringContaining("different request") }],
      });
      await db.apiIdempotentRequest.create({
        data: {
          shopId,
          key: "in-flight",
          method: "POST",
          path: `/api/v1/earning-rules/${rule.id}/award`,
          requestHash: "x",
        },
      });
      const running = await award(
        rule.id,
        { customer_identifier: member.email },
        { headers: { "Idempotency-Key": "in-flight" } },
      );
      expect([409, 422]).toContain(running.status);
      expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    });
  });

  describe("races through HTTP", () => {
    it("50 parallel purchases by a member who can afford 3 → exactly three 201s", async () => {
      const customer = shopify.state.addCustomer(shopify.shop, { email: `race${Date.now()}@example.com` });
      const id = customer.id.split("/").at(-1) ?? "";
      const member = await createMember(db, shopId, { shopifyCustomerId: id, email: customer.email ?? "" });
      await adjustPoints(db, { shopId, identifier: id, deltaCenti: pts(300), actor: "test" });
      const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
      const fast = await createKey(db, shopId);
      await db.apiKey.updateMany({
        where: { prefix: fast.slice(0, 12) },
        data: { rateLimitPerSecond: 1000, rateLimitBurst: 1000 },
      });
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          callRoute(
            "action",
            PURCHASE,
            apiRequest("POST", `/api/v1/rewards/${reward.id}/purchase`, {
              key: fast,
              body: { customer_identifier: id },
            }),
            {
              id: reward.id,
            },
          ),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.filter((s) => s === 422)).toHaveLength(47);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(0n);
    });

    it("20 parallel awards of one rule → one 201 and nineteen 409s", async () => {
      const member = await createMember(db, shopId);
      const rule = await createEarningRule(db, shopId);
      const fast = await createKey(db, shopId);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => award(rule.id, { customer_identifier: member.email }, { key: fast })),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(19).fill(409)]);
    });

    it("20 parallel requests with one Idempotency-Key → one effect", async () => {
      const member = await createMember(db, shopId);
      const fast = await createKey(db, shopId);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          callRoute(
            "action",
            ADD,
            apiRequest("POST", "/api/external/add-points", {
              key: fast,
              body: { points: 10, customerEmail: member.email },
              headers: { "Idempotency-Key": `same-${member.id}` },
            }),
          ),
        ),
      );
      expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(10));
    });
  });
});
