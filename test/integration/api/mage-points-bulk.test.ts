import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { bulkPointsAdjustment } from "~/modules/api/mage";
import { adjustPoints, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const BULK = "app/routes/api.v1.points.bulk.tsx";
let shopId: string;
let key: string;
let readKey: string;

async function unlimitedKey(shop: string, scope: "full" | "read") {
  const secret = await createKey(db, shop, scope);
  return secret;
}

const bulk = (
  body: unknown,
  options: { key?: string | null; rawBody?: string; headers?: Record<string, string> } = {},
) =>
  callRoute(
    "action",
    BULK,
    apiRequest("POST", "/api/v1/points/bulk", {
      key: options.key === undefined ? key : options.key,
      body,
      rawBody: options.rawBody,
      headers: options.headers,
    }),
  );

type Result = {
  index: number;
  status: "applied" | "failed";
  customer_identifier: string | null;
  points_adjustment?: { id: string; attributes: Record<string, unknown> };
  error?: { status: string; title: string; detail: string };
};
type Answer = { data: Result[]; meta: { total: number; applied: number; failed: number } };

const errorOf = async (response: Response) =>
  ((await response.json()) as { errors: { status: string; detail: string }[] }).errors[0];

async function member(points = 0) {
  const created = await createMember(db, shopId);
  const identifier = created.shopifyCustomerId ?? "";
  if (points > 0) await adjustPoints(db, { shopId, identifier, deltaCenti: pts(points), actor: "test" });
  return { ...created, identifier };
}
const available = async (id: string) => (await db.customer.findUniqueOrThrow({ where: { id } })).availableCenti;
const entryCount = () => db.ledgerEntry.count({ where: { shopId } });

describe("POST /api/v1/points/bulk", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await unlimitedKey(shopId, "full");
    readKey = await unlimitedKey(shopId, "read");
  });

  it("applies each item on its own, in order; a bad item fails alone with a JSON:API error", async () => {
    const ann = await member();
    const bob = await member(50);
    const excluded = await member(10);
    await setMemberStatus(db, { shopId, identifier: excluded.identifier, status: "excluded", actor: "test" });
    const otherShop = (await installShop(db, { shop: "bulk-other.myshopify.com" })).id;
    const foreign = await createMember(db, otherShop);
    const response = await bulk({
      items: [
        { customer_identifier: ann.identifier, points: 100, note: "Event bonus" },
        { customer_identifier: (bob.email ?? "").toUpperCase(), points: -20, update_lifetime_points: false },
        { customer_identifier: ann.identifier, points: "5" },
        { customer_identifier: "ghost@example.com", points: 5 },
        { customer_identifier: excluded.identifier, points: 5 },
        { customer_identifier: foreign.shopifyCustomerId, points: 5 },
        { points: 5 },
        { customer_identifier: Number(ann.identifier), points: 0.5, send_email: false },
        "not an item",
        { customer_identifier: ann.identifier, points: 0 },
      ],
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.meta).toEqual({ total: 10, applied: 3, failed: 7 });
    expect(answer.data.map((result) => [result.index, result.status, result.error?.status])).toEqual([
      [0, "applied", undefined],
      [1, "applied", undefined],
      [2, "failed", "400"],
      [3, "failed", "404"],
      [4, "failed", "403"],
      [5, "failed", "404"],
      [6, "failed", "400"],
      [7, "applied", undefined],
      [8, "failed", "400"],
      [9, "failed", "400"],
    ]);
    expect(answer.data[0]).toEqual({
      index: 0,
      status: "applied",
      customer_identifier: ann.identifier,
      points_adjustment: {
        type: "points_adjustment",
        id: ann.identifier,
        attributes: {
          points_before: 0,
          points_after: 100,
          current_points: 100,
          points: 100,
          note: "Event bonus",
          update_lifetime_points: true,
          send_email: true,
          created_at: expect.any(String),
        },
      },
    });
    expect(answer.data[2]?.error).toEqual({
      status: "400",
      title: "Bad Request",
      detail: "items[2].points: must be a JSON number (not a string)",
    });
    expect(answer.data[3]?.error?.detail).toBe("Customer ghost@example.com not found");
    expect(answer.data[4]?.error?.detail).toBe("Customer is excluded from the loyalty program");
    expect(answer.data[6]?.error?.detail).toMatch(/^items\[6\]\.customer_identifier: /);
    expect(answer.data[6]?.customer_identifier).toBeNull();
    expect(answer.data[7]?.customer_identifier).toBe(ann.identifier);
    expect(answer.data[9]?.error?.detail).toMatch(/^items\[9\]\.points: must not be 0/);
    expect(await available(ann.id)).toBe(pts(100.5));
    expect(await available(bob.id)).toBe(pts(30));
    expect(await available(excluded.id)).toBe(pts(10));
    expect(await available(foreign.id)).toBe(0n);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("takes JSON:API items too", async () => {
    const ann = await member();
    const response = await bulk({
      data: [
        { type: "points_adjustment", attributes: { customer_identifier: ann.identifier, points: 3 } },
        { type: "points_adjustment", attributes: { customer_identifier: ann.identifier, points: 4 } },
      ],
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Answer).meta).toEqual({ total: 2, applied: 2, failed: 0 });
    expect(await available(ann.id)).toBe(pts(7));
  });

  it.each([
    [{}, /^items: must be an array/],
    [{ items: {} }, /^items: must be an array/],
    [{ items: "x" }, /^items: must be an array/],
    [{ items: [] }, /^items: must hold at least 1 item/],
    [
      { items: Array.from({ length: 1001 }, () => ({ customer_identifier: "1", points: 1 })) },
      /^items: must hold at most 1000 items \(it holds 1001\)/,
    ],
    [{ items: [], data: [] }, /^body: give either items or data, not both/],
  ])("400 for a bad envelope %#, and nothing is written", async (body, detail) => {
    const ann = await member();
    const before = await entryCount();
    const withOne = body as { items?: unknown };
    if (Array.isArray(withOne.items) && withOne.items.length > 1000)
      withOne.items[0] = { customer_identifier: ann.identifier, points: 1 };
    const response = await bulk(body);
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toMatch(detail);
    expect(await entryCount()).toBe(before);
  });

  it("400 for a body that is not JSON or not an object", async () => {
    for (const rawBody of ["{", "[]", '[{"customer_identifier":"1","points":1}]']) {
      expect((await bulk(undefined, { rawBody })).status).toBe(400);
    }
  });

  it("403 with a read-only key and 401 without one: nothing written", async () => {
    const ann = await member();
    const body = { items: [{ customer_identifier: ann.identifier, points: 1 }] };
    expect((await bulk(body, { key: readKey })).status).toBe(403);
    expect((await bulk(body, { key: null })).status).toBe(401);
    expect(await available(ann.id)).toBe(0n);
  });

  it("an Idempotency-Key replays the whole answer and applies nothing twice", async () => {
    const ann = await member();
    const headers = { "Idempotency-Key": `bulk-${ann.id}` };
    const body = {
      items: [
        { customer_identifier: ann.identifier, points: 2 },
        { customer_identifier: ann.identifier, points: 3 },
      ],
    };
    const first = await bulk(body, { headers });
    const replay = await bulk(body, { headers });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.json()).toEqual(await first.json());
    expect(await available(ann.id)).toBe(pts(5));
  });

  it("a retry after an interruption (same Idempotency-Key) applies no item twice", async () => {
    const ann = await member();
    const first = { customer_identifier: ann.identifier, points: 2 };
    const second = { customer_identifier: ann.identifier, points: 3 };
    // As if the first attempt (by the same key) stopped after its first item, before any answer was stored.
    const { prefix } = await db.apiKey.findFirstOrThrow({ where: { shopId, scope: "full" } });
    await bulkPointsAdjustment(db, { shopId, items: [first], actor: `api:${prefix}`, idempotencyKey: `cut-${ann.id}` });
    const retry = await bulk({ items: [first, second] }, { headers: { "Idempotency-Key": `cut-${ann.id}` } });
    expect(((await retry.json()) as Answer).meta).toEqual({ total: 2, applied: 2, failed: 0 });
    expect(await available(ann.id)).toBe(pts(5));
    expect(await db.lot.count({ where: { memberId: ann.id } })).toBe(2);
  });

  it("applies 1,000 items (the most one request may hold)", async () => {
    const members = await Promise.all(Array.from({ length: 10 }, () => member()));
    const items = Array.from({ length: 1000 }, (_, index) => ({
      customer_identifier: members[index % 10]?.identifier,
      points: (index % 7) + 0.25,
    }));
    const response = await bulk({ items });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.meta).toEqual({ total: 1000, applied: 1000, failed: 0 });
    expect(answer.data.map((result) => result.index)).toEqual(items.map((_, index) => index));
    const expected = (m: number) =>
      items.filter((_, index) => index % 10 === m).reduce((total, item) => total + pts(item.points), 0n);
    for (const [m, created] of members.entries()) expect(await available(created.id)).toBe(expected(m));
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  }, 180_000);
});
