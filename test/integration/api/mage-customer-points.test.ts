import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const POINTS = "app/routes/api.v1.customers.$identifier.points.tsx";
let shopId: string;
let key: string;
let readKey: string;

async function unlimitedKey(shop: string, scope: "full" | "read") {
  const secret = await createKey(db, shop, scope);
  return secret;
}

const post = (
  identifier: string,
  body: unknown,
  options: { key?: string | null; rawBody?: string; headers?: Record<string, string> } = {},
) =>
  callRoute(
    "action",
    POINTS,
    apiRequest("POST", `/api/v1/customers/${encodeURIComponent(identifier)}/points`, {
      key: options.key === undefined ? key : options.key,
      body,
      rawBody: options.rawBody,
      headers: options.headers,
    }),
    { identifier },
  );

type Adjustment = { data: { type: string; id: string; attributes: Record<string, unknown> } };
const errorOf = async (response: Response) =>
  ((await response.json()) as { errors: { status: string; title: string; detail: string }[] }).errors[0];

/** GIVEN a member with `points` (added by a test adjustment). */
async function member(points = 0) {
  const created = await createMember(db, shopId);
  const identifier = created.shopifyCustomerId ?? "";
  if (points > 0) await adjustPoints(db, { shopId, identifier, deltaCenti: pts(points), actor: "test" });
  return { ...created, identifier };
}
const stored = (id: string) => db.customer.findUniqueOrThrow({ where: { id } });

describe("POST /api/v1/customers/{identifier}/points", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await unlimitedKey(shopId, "full");
    readKey = await unlimitedKey(shopId, "read");
  });

  it("201: adds points as an API lot, counts them for lifetime, and answers the points_adjustment", async () => {
    const { id, identifier } = await member(10);
    const response = await post(identifier, { points: 150.25, note: "Sorry for the delay" });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as Adjustment;
    expect(data).toMatchObject({ type: "points_adjustment", id: identifier });
    expect(data.attributes).toEqual({
      points_before: 10,
      points_after: 160.25,
      current_points: 160.25,
      points: 150.25,
      note: "Sorry for the delay",
      update_lifetime_points: true,
      send_email: true,
      created_at: expect.any(String),
    });
    expect(await stored(id)).toMatchObject({ availableCenti: pts(160.25), lifetimeCenti: pts(160.25) });
    const lot = await db.lot.findFirstOrThrow({ where: { memberId: id, source: "api" } });
    expect(lot).toMatchObject({ amountCenti: pts(150.25), note: "Sorry for the delay", status: "approved" });
    expect(await ledgerProblems(db, shopId, id)).toEqual([]);
  });

  it("takes a JSON:API body; update_lifetime_points false leaves lifetime points as they were", async () => {
    const { id, identifier } = await member();
    const response = await post(identifier, {
      data: { type: "points_adjustment", attributes: { points: 40, update_lifetime_points: false } },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Adjustment).data.attributes).toMatchObject({
      points: 40,
      update_lifetime_points: false,
    });
    expect(await stored(id)).toMatchObject({ availableCenti: pts(40), lifetimeCenti: 0n });
  });

  it("a deduction takes what there is and stops at 0; points says what was applied", async () => {
    const { id, identifier } = await member(30);
    const response = await post(identifier, { points: -50 });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Adjustment).data.attributes).toMatchObject({
      points_before: 30,
      points_after: 0,
      current_points: 0,
      points: -30,
      note: null,
    });
    expect(await stored(id)).toMatchObject({ availableCenti: 0n, lifetimeCenti: pts(30) });
    const again = await post(identifier, { points: -5 });
    expect(((await again.json()) as Adjustment).data.attributes).toMatchObject({ points_after: 0, points: 0 });
    expect(await ledgerProblems(db, shopId, id)).toEqual([]);
  });

  it("send_email is recorded with the adjustment, for added and for removed points", async () => {
    const { id, identifier } = await member(100);
    await post(identifier, { points: 5, send_email: false });
    const earned = await db.outboxEvent.findMany({
      where: { memberId: id, topic: "points.earned" },
      orderBy: { createdAt: "asc" },
    });
    expect(earned.map((event) => (JSON.parse(event.payload) as { sendEmail?: boolean }).sendEmail)).toEqual([
      undefined,
      false,
    ]);
    const lot = await db.lot.findFirstOrThrow({ where: { memberId: id, source: "api" } });
    const activity = await db.activityLog.findFirstOrThrow({ where: { memberId: id, data: { contains: lot.id } } });
    expect(JSON.parse(activity.data ?? "{}")).toMatchObject({ lotId: lot.id, sendEmail: false });
    await post(identifier, { points: -3 });
    const removed = await db.outboxEvent.findFirstOrThrow({ where: { memberId: id, topic: "points.adjusted" } });
    expect(JSON.parse(removed.payload)).toMatchObject({ points: "-3", sendEmail: true });
  });

  it("recalculates the VIP tier", async () => {
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1_000) });
    const { id, identifier } = await member();
    await post(identifier, { points: 1_000 });
    expect((await stored(id)).vipTierId).toBe(gold.id);
    await db.vipTier.delete({ where: { id: gold.id } });
  });

  it("names the customer by email in any case", async () => {
    const { id, email } = await member();
    const response = await post((email ?? "").toUpperCase(), { points: 1 });
    expect(response.status).toBe(201);
    expect((await stored(id)).availableCenti).toBe(pts(1));
  });

  it.each([
    [{}, /^points: must be a JSON number/],
    [{ points: "100" }, /^points: must be a JSON number \(not a string\)/],
    [{ points: null }, /^points: must be a JSON number/],
    [{ points: 0 }, /^points: must not be 0/],
    [{ points: -0 }, /^points: must not be 0/],
    [{ points: 1.234 }, /^points: Invalid points: "1.234" has more than 2 decimal places/],
    [{ points: 0.1 + 0.2 }, /^points: Invalid points/],
    [{ points: 10_000_000.01 }, /^points: must be between -10000000 and 10000000/],
    [{ points: -10_000_001 }, /^points: must be between -10000000 and 10000000/],
    [{ points: 1e300 }, /^points: Invalid points/],
    [{ points: 5, note: 7 }, /^note: must be a string/],
    [{ points: 5, note: "x".repeat(501) }, /^note: must be at most 500 characters/],
    [{ points: 5, update_lifetime_points: "yes" }, /^update_lifetime_points: must be true or false/],
    [{ points: 5, send_email: 0 }, /^send_email: must be true or false/],
    [{ points: 5, customer: "x" }, /^customer: unknown field; use points, note, update_lifetime_points, send_email/],
    [{ data: { type: "customer", attributes: { points: 5 } } }, /^data\.type: must be "points_adjustment"/],
  ])("400 naming the field for %j; nothing is written", async (body, detail) => {
    const { id, identifier } = await member(10);
    const before = await stored(id);
    const response = await post(identifier, body);
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toMatch(detail);
    expect(await stored(id)).toEqual(before);
  });

  it("400 for NaN or Infinity written into the JSON, and for bodies that are not an object", async () => {
    const { identifier } = await member();
    for (const rawBody of ['{"points": NaN}', '{"points": Infinity}', "[1]", "{"]) {
      const response = await post(identifier, undefined, { rawBody });
      expect(response.status).toBe(400);
    }
  });

  it("accepts exactly 10,000,000 either way", async () => {
    const { id, identifier } = await member();
    expect((await post(identifier, { points: 10_000_000 })).status).toBe(201);
    expect((await post(identifier, { points: -10_000_000 })).status).toBe(201);
    expect(await stored(id)).toMatchObject({ availableCenti: 0n, lifetimeCenti: pts(10_000_000) });
  });

  it("403 for an excluded customer, nothing written", async () => {
    const { id, identifier } = await member(10);
    await setMemberStatus(db, { shopId, identifier, status: "excluded", actor: "test" });
    const response = await post(identifier, { points: 5 });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({
      status: "403",
      detail: "Customer is excluded from the loyalty program",
    });
    expect((await stored(id)).availableCenti).toBe(pts(10));
  });

  it("404 for an unknown customer or another shop's; 403 with a read-only key; 401 without a key", async () => {
    const otherShop = (await installShop(db, { shop: "other-points.myshopify.com" })).id;
    const foreign = await createMember(db, otherShop);
    expect((await post(foreign.shopifyCustomerId ?? "", { points: 5 })).status).toBe(404);
    expect((await post("nobody@example.com", { points: 5 })).status).toBe(404);
    expect((await stored(foreign.id)).availableCenti).toBe(0n);
    const { id, identifier } = await member();
    expect((await post(identifier, { points: 5 }, { key: readKey })).status).toBe(403);
    expect((await post(identifier, { points: 5 }, { key: null })).status).toBe(401);
    expect((await stored(id)).availableCenti).toBe(0n);
  });

  it("an Idempotency-Key applies once and replays the answer; another body with it is a 422", async () => {
    const { id, identifier } = await member();
    const headers = { "Idempotency-Key": `adjust-${id}` };
    const first = await post(identifier, { points: 7 }, { headers });
    const second = await post(identifier, { points: 7 }, { headers });
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect((await post(identifier, { points: 8 }, { headers })).status).toBe(422);
    expect((await stored(id)).availableCenti).toBe(pts(7));
  });

  it("405 with Allow for GET", async () => {
    const response = await callRoute("loader", POINTS, apiRequest("GET", "/api/v1/customers/1/points", { key }), {
      identifier: "1",
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});
