import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { awardEarningRule, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createEarningRule, createKey, createMember, createTier, installShop } from "../../helpers/factories";
import { callRoute } from "../../helpers/routes";

const db = database();
const ADD = "app/routes/api.external.add-points.tsx";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

const addPoints = (body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute(
    "action",
    ADD,
    apiRequest("POST", "/api/external/add-points", { key, header: "x-api-key", body, ...options }),
  );

/** Every field of seed 003's response. */
const LOYALTY_FIELDS = [
  "availablePoints",
  "pendingPoints",
  "creditedPoints",
  "spentAmount",
  "storeCreditBalance",
  "achievableTierId",
  "currentVipTier",
  "vipTierExpiredAt",
  "createAt",
  "rewardedForFacebook",
  "rewardedForPinterest",
  "rewardedForTwitter",
  "rewardedForInstagram",
  "rewardedForYoutube",
  "rewardedForTiktok",
  "rewardedForNewsLetter",
  "rewardedForSms",
  "referredCompleted",
  "customerStatus",
  "dob",
  "rewards",
  "rewardedForCreatingAccount",
  "rewardedForSharingOnFacebook",
  "rewardedForSharingOnX",
  "expiringPointsAmount",
  "pointsExpireAt",
];

describe("POST /api/external/add-points (seed 003)", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    otherShopId = (await installShop(db, { shop: "other-add-points.myshopify.com" })).id;
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("adds fractional points exactly and answers the full loyalty object", async () => {
    await createMember(db, shopId, { shopifyCustomerId: "5550001" });
    const silver = await createTier(db, shopId, { name: "Silver", threshold: 1_000n });
    const instagram = await createEarningRule(db, shopId);
    await awardEarningRule(db, { shopId, ruleId: instagram.id, identifier: "5550001", actor: "test" });
    const response = await addPoints({
      points: 12.34,
      customerId: 5550001,
      note: "Compensation for delayed shipping - Order #1234",
    });
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as Record<string, unknown>;
    for (const field of LOYALTY_FIELDS) expect(loyalty, field).toHaveProperty(field);
    expect(loyalty).toMatchObject({
      availablePoints: 112.34,
      pendingPoints: 0,
      creditedPoints: 112.34,
      spentAmount: 0,
      currentVipTier: silver.name,
      rewardedForInstagram: true,
      rewardedForFacebook: false,
      customerStatus: "ACTIVE",
      rewards: [],
    });
  });

  it("finds the customer by email, case-insensitively", async () => {
    const member = await createMember(db, shopId, { email: "grace@example.com" });
    const response = await addPoints({ points: 5, customerEmail: "Grace@Example.COM" });
    expect(response.status).toBe(200);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(500n);
  });

  it.each([
    ["points as a string", { points: "10", customerEmail: "a@example.com" }, /points: must be a number/],
    ["zero points", { points: 0, customerEmail: "a@example.com" }, /at least 0.01/],
    ["negative points", { points: -5, customerEmail: "a@example.com" }, /at least 0.01/],
    ["over-precise points", { points: 0.001, customerEmail: "a@example.com" }, /points/],
    ["huge points", { points: 1e300, customerEmail: "a@example.com" }, /points/],
    ["both customerId and customerEmail", { points: 1, customerId: 1, customerEmail: "a@example.com" }, /exactly one/],
    ["neither customerId nor customerEmail", { points: 1 }, /exactly one/],
    ["a malformed email", { points: 1, customerEmail: "not-an-email" }, /customerEmail/],
    ["a note over 500 characters", { points: 1, customerEmail: "a@example.com", note: "x".repeat(501) }, /500/],
    ["a note with a NUL character", { points: 1, customerEmail: "a@example.com", note: "a\u0000b" }, /note: .*NUL/],
    ["an earnRuleId with a NUL character", { points: 1, customerEmail: "a@example.com", earnRuleId: "\u0000" }, /NUL/],
    ["points null", { points: null, customerEmail: "a@example.com" }, /points/],
    ["points as a boolean", { points: true, customerEmail: "a@example.com" }, /points: must be a number/],
    ["points beyond what the ledger holds", { points: 1e20, customerEmail: "a@example.com" }, /points/],
    ["a fractional customerId", { points: 1, customerId: 1.5 }, /customerId/],
    ["a customerId beyond 2^53", { points: 1, customerId: 1e30 }, /customerId/],
    ["a customerId of 21 digits", { points: 1, customerId: "1".repeat(21) }, /customerId/],
    ["an injection string as customerId", { points: 1, customerId: "1; DROP TABLE Customer" }, /customerId/],
    ["a unicode email", { points: 1, customerEmail: "jöhn@exämple.com" }, /customerEmail/],
    ["an injection string as email", { points: 1, customerEmail: "x' OR '1'='1" }, /customerEmail/],
    ["a fractional earnRuleId", { points: 1, customerEmail: "a@example.com", earnRuleId: 1.5 }, /earnRuleId/],
    ["a note that is an object", { points: 1, customerEmail: "a@example.com", note: { text: "x" } }, /note/],
    ["an array body", [{ points: 1, customerEmail: "a@example.com" }], /JSON object/],
  ])("400 for %s, in Appstle's format, and nothing written", async (_case, body, message) => {
    const entries = await db.ledgerEntry.count();
    const response = await addPoints(body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { status: number; error: string; message: string; path: string };
    expect(error).toMatchObject({ status: 400, error: "Bad Request", path: "/api/external/add-points" });
    expect(error.message).toMatch(message);
    expect(await db.ledgerEntry.count()).toBe(entries);
  });

  it("accepts null for the customer field not given, and a digit-string customerId; keeps a unicode note as given", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: "5550077" });
    const note = "Geburtstag 🎂 — ünïcödé ' OR 1=1 --";
    expect((await addPoints({ points: 1.5, customerId: " 5550077 ", customerEmail: null, note })).status).toBe(200);
    expect(
      (await addPoints({ points: 2, customerId: null, customerEmail: member.email, earnRuleId: null })).status,
    ).toBe(200);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(350n);
    const entries = await db.ledgerEntry.findMany({ where: { memberId: member.id }, orderBy: { sequence: "asc" } });
    expect(entries[0]?.note).toBe(note);
  });

  it.each([
    ["invalid JSON", "{points: 1"],
    ["NaN", '{"points": NaN, "customerEmail": "a@example.com"}'],
    ["Infinity", '{"points": Infinity, "customerEmail": "a@example.com"}'],
  ])("400 for %s as the body, and nothing written", async (_case, rawBody) => {
    const entries = await db.ledgerEntry.count();
    const response = await addPoints(undefined, { rawBody });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/JSON/);
    expect(await db.ledgerEntry.count()).toBe(entries);
  });

  it("403 for a read-only key or an excluded customer; 404 for another shop's customer; nothing written", async () => {
    const member = await createMember(db, shopId);
    const excluded = await createMember(db, shopId);
    await setMemberStatus(db, { shopId, identifier: excluded.email ?? "", status: "excluded", actor: "test" });
    const stranger = await createMember(db, otherShopId);
    const entries = await db.ledgerEntry.count();
    const readOnly = await addPoints({ points: 1, customerEmail: member.email }, { key: readKey });
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as { message: string }).message).toMatch(/read-only/);
    expect((await addPoints({ points: 1, customerEmail: excluded.email })).status).toBe(403);
    expect((await addPoints({ points: 1, customerId: Number(stranger.shopifyCustomerId) })).status).toBe(404);
    expect((await addPoints({ points: 1, customerEmail: stranger.email })).status).toBe(404);
    expect(await db.ledgerEntry.count()).toBe(entries);
  });

  it("405 with Allow: POST for a GET", async () => {
    const response = await callRoute("loader", ADD, apiRequest("GET", "/api/external/add-points", { key }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("404 for a customer the shop does not have; 401 without a key", async () => {
    const missing = await addPoints({ points: 1, customerEmail: "ghost@example.com" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, error: "Not Found" });
    expect((await addPoints({ points: 1, customerEmail: "ghost@example.com" }, { key: null })).status).toBe(401);
  });

  it("an Idempotency-Key makes a retried request add the points once", async () => {
    const member = await createMember(db, shopId);
    const headers = { "Idempotency-Key": `add-${member.id}` };
    await addPoints({ points: 7, customerEmail: member.email }, { headers });
    await addPoints({ points: 7, customerEmail: member.email }, { headers });
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(700n);
  });
});
