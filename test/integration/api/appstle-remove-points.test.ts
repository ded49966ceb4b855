import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const REMOVE = "app/routes/api.external.remove-points.tsx";
const PATH = "/api/external/remove-points";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

const removePoints = (body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("action", REMOVE, apiRequest("POST", PATH, { key, header: "x-api-key", body, ...options }));

/** A member of the shop holding `points`, given through the ledger. */
async function memberWith(points: number, shop = () => shopId) {
  const member = await createMember(db, shop());
  if (points > 0)
    await adjustPoints(db, { shopId: shop(), identifier: member.email ?? "", deltaCenti: pts(points), actor: "test" });
  return member;
}

const available = async (memberId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).availableCenti;

/** Everything a refused request must not write. */
const writes = async () => ({
  entries: await db.ledgerEntry.count(),
  activities: await db.activityLog.count(),
  events: await db.outboxEvent.count(),
});

async function expectProblem(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path: PATH });
  expect(typeof body.timestamp).toBe("string");
  expect(typeof body.error).toBe("string");
  if (message) expect(body.message).toMatch(message);
}

describe("POST /api/external/remove-points", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    otherShopId = (await installShop(db, { shop: "other-remove.myshopify.com" })).id;
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("GIVEN a member with 100 points WHEN 30.55 are removed by customerId THEN 200 with the full loyalty object and a ledger entry with the note", async () => {
    const member = await memberWith(100);
    const response = await removePoints({
      points: 30.55,
      customerId: Number(member.shopifyCustomerId),
      note: "Rückbuchung — Bestellung #12 🎁",
      earnRuleId: 10,
    });
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as Record<string, unknown>;
    expect(loyalty).toMatchObject({
      availablePoints: 69.45,
      pendingPoints: 0,
      creditedPoints: 100,
      customerStatus: "ACTIVE",
      rewards: [],
    });
    for (const field of ["spentAmount", "createAt", "dob", "expiringPointsAmount", "pointsExpireAt", "rewardedForSms"])
      expect(loyalty).toHaveProperty(field);
    const entry = await db.ledgerEntry.findFirstOrThrow({
      where: { memberId: member.id },
      orderBy: { sequence: "desc" },
    });
    expect(entry.availableDeltaCenti).toBe(-3055n);
    expect(entry.note).toBe("Rückbuchung — Bestellung #12 🎁 — earn rule 10");
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "points.adjusted" } })).toBe(1);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("GIVEN a member WHEN named by email in another case or by a digit-string customerId THEN the points come off", async () => {
    const member = await memberWith(50);
    expect((await removePoints({ points: 5, customerEmail: member.email?.toUpperCase() })).status).toBe(200);
    expect((await removePoints({ points: 5, customerId: member.shopifyCustomerId })).status).toBe(200);
    expect(await available(member.id)).toBe(pts(40));
  });

  it("GIVEN a member with 10 points WHEN 25 are removed THEN the balance stops at 0, never below", async () => {
    const member = await memberWith(10);
    const response = await removePoints({ points: 25, customerEmail: member.email });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { availablePoints: number }).availablePoints).toBe(0);
    expect(await available(member.id)).toBe(0n);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("GIVEN an Idempotency-Key WHEN the request is retried THEN the points come off once", async () => {
    const member = await memberWith(100);
    const headers = { "Idempotency-Key": `remove-${member.id}` };
    await removePoints({ points: 7, customerEmail: member.email }, { headers });
    await removePoints({ points: 7, customerEmail: member.email }, { headers });
    expect(await available(member.id)).toBe(pts(93));
  });

  it("GIVEN an excluded member WHEN points are removed THEN 403 and nothing is written", async () => {
    const member = await memberWith(100);
    await setMemberStatus(db, { shopId, identifier: member.email ?? "", status: "excluded", actor: "test" });
    const before = await writes();
    await expectProblem(await removePoints({ points: 1, customerEmail: member.email }), 403, /excluded/);
    expect(await writes()).toEqual(before);
    expect(await available(member.id)).toBe(pts(100));
  });

  it.each([
    ["points as a string", { points: "10", customerEmail: "a@example.com" }, /points: must be a number/],
    ["points null", { points: null, customerEmail: "a@example.com" }, /points/],
    ["no points", { customerEmail: "a@example.com" }, /points/],
    ["zero points", { points: 0, customerEmail: "a@example.com" }, /points: must be at least 0.01/],
    ["negative points", { points: -5, customerEmail: "a@example.com" }, /points: must be at least 0.01/],
    ["over-precise points", { points: 0.001, customerEmail: "a@example.com" }, /points: .*decimal/],
    ["huge points", { points: 1e300, customerEmail: "a@example.com" }, /points/],
    ["both customerId and customerEmail", { points: 1, customerId: 1, customerEmail: "a@example.com" }, /exactly one/],
    ["neither customerId nor customerEmail", { points: 1 }, /customerId: give exactly one/],
    ["a malformed email", { points: 1, customerEmail: "not-an-email" }, /customerEmail/],
    ["a unicode email", { points: 1, customerEmail: "jöhn@exämple.com" }, /customerEmail/],
    ["a fractional customerId", { points: 1, customerId: 1.5 }, /customerId/],
    ["a negative customerId", { points: 1, customerId: -3 }, /customerId/],
    ["a customerId with letters", { points: 1, customerId: "12a" }, /customerId/],
    ["a customerId beyond 2^53", { points: 1, customerId: 1e30 }, /customerId/],
    ["a note over 500 characters", { points: 1, customerEmail: "a@example.com", note: "x".repeat(501) }, /note: .*500/],
    ["a note that is a number", { points: 1, customerEmail: "a@example.com", note: 5 }, /note/],
    [
      "a note with a NUL character",
      { points: 1, customerEmail: "a@example.com", note: "a\u0000b" },
      /note: must not contain NUL/,
    ],
    [
      "an earnRuleId with a control character",
      { points: 1, customerEmail: "a@example.com", earnRuleId: "a\u001bb" },
      /earnRuleId/,
    ],
    ["an array body", [{ points: 1 }], /JSON object/],
  ])(
    "GIVEN %s WHEN removing THEN 400 in Appstle's format naming the field, and nothing written",
    async (_case, body, message) => {
      const before = await writes();
      await expectProblem(await removePoints(body), 400, message);
      expect(await writes()).toEqual(before);
    },
  );

  it.each([
    ["invalid JSON", "{points: 1"],
    ["NaN", '{"points": NaN, "customerEmail": "a@example.com"}'],
  ])("GIVEN %s as the body WHEN removing THEN 400 and nothing written", async (_case, rawBody) => {
    const before = await writes();
    await expectProblem(await removePoints(undefined, { rawBody }), 400, /JSON/);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN no key, a revoked-looking key or a read-only key THEN 401 / 401 / 403 and nothing written", async () => {
    const member = await memberWith(10);
    const before = await writes();
    await expectProblem(await removePoints({ points: 1, customerEmail: member.email }, { key: null }), 401);
    await expectProblem(await removePoints({ points: 1, customerEmail: member.email }, { key: "pw_nope" }), 401);
    await expectProblem(
      await removePoints({ points: 1, customerEmail: member.email }, { key: readKey }),
      403,
      /read-only/,
    );
    expect(await writes()).toEqual(before);
    expect(await available(member.id)).toBe(pts(10));
  });

  it("GIVEN an unknown customer, or a customer of another shop THEN 404 and the other shop's balance is untouched", async () => {
    await expectProblem(await removePoints({ points: 1, customerEmail: "ghost@example.com" }), 404, /not found/);
    const stranger = await memberWith(20, () => otherShopId);
    const before = await writes();
    await expectProblem(await removePoints({ points: 1, customerId: Number(stranger.shopifyCustomerId) }), 404);
    await expectProblem(await removePoints({ points: 1, customerEmail: stranger.email }), 404);
    expect(await writes()).toEqual(before);
    expect(await available(stranger.id)).toBe(pts(20));
  });

  it("GIVEN a GET or a PUT THEN 405 with Allow: POST", async () => {
    const get = await callRoute("loader", REMOVE, apiRequest("GET", PATH, { key, header: "x-api-key" }));
    await expectProblem(get, 405);
    expect(get.headers.get("Allow")).toBe("POST");
    await expectProblem(await callRoute("action", REMOVE, apiRequest("PUT", PATH, { key, body: {} })), 405);
  });
});
