import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";
import { unauthenticated } from "~/shopify.server";

import { discountStatus } from "../../../sandbox/shopify/state";
import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const PURCHASE = "app/routes/api.v1.rewards.$id.purchase.tsx";
const REFUND = "app/routes/api.v1.reward-history.$id.refund.tsx";
let shopId: string;
let key: string;
let readKey: string;

async function unlimitedKey(shop: string, scope: "full" | "read") {
  const secret = await createKey(db, shop, scope);
  return secret;
}

const refund = (id: string, options: { key?: string | null; headers?: Record<string, string>; body?: unknown } = {}) =>
  callRoute(
    "action",
    REFUND,
    apiRequest("POST", `/api/v1/reward-history/${encodeURIComponent(id)}/refund`, {
      key: options.key === undefined ? key : options.key,
      headers: options.headers,
      body: options.body,
    }),
    { id },
  );

type Entry = { data: { type: string; id: string; attributes: Record<string, unknown> } };
const errorOf = async (response: Response) =>
  ((await response.json()) as { errors: { status: string; title: string; detail: string }[] }).errors[0];

/** GIVEN a Shopify customer who is a member with 600 points and bought a 500-point reward (a real code in Shopify). */
async function boughtReward(overrides: Parameters<typeof createReward>[2] = {}) {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `refund${Math.random()}@example.com` });
  const identifier = customer.id.split("/").at(-1) ?? "";
  const member = await createMember(db, shopId, { shopifyCustomerId: identifier, email: customer.email ?? "" });
  await adjustPoints(db, { shopId, identifier, deltaCenti: pts(600), actor: "test" });
  const reward = await createReward(db, shopId, { pointsCostCenti: pts(500), expiryDays: 30, ...overrides });
  const response = await callRoute(
    "action",
    PURCHASE,
    apiRequest("POST", `/api/v1/rewards/${reward.id}/purchase`, { key, body: { customer_identifier: identifier } }),
    { id: reward.id },
  );
  expect(response.status).toBe(201);
  const { data } = (await response.json()) as Entry;
  return { member, identifier, entryId: data.id, code: String(data.attributes.discount_code) };
}

const discountOf = (code: string) => {
  const discount = shopify.state.findDiscountByCode(shopify.shop, code);
  if (!discount) throw new Error(`no discount ${code} in Shopify`);
  return discount;
};
const shopifyStatus = (code: string) => discountStatus(discountOf(code).codeDiscount, new Date());
const balances = (id: string) =>
  db.customer.findUniqueOrThrow({ where: { id }, select: { availableCenti: true, redeemedCenti: true } });

describe("POST /api/v1/reward-history/{id}/refund", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await unlimitedKey(shopId, "full");
    readKey = await unlimitedKey(shopId, "read");
  });

  it("200: deactivates the code in Shopify, gives the points back and answers the entry with is_refunded", async () => {
    const { member, entryId, code } = await boughtReward();
    expect(shopifyStatus(code)).toBe("ACTIVE");
    expect(await balances(member.id)).toEqual({ availableCenti: pts(100), redeemedCenti: pts(500) });
    const response = await refund(entryId);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as Entry;
    expect(data).toMatchObject({
      type: "reward_history_entry",
      id: entryId,
      attributes: { is_refunded: true, status: "active", points_spent: 500, discount_code: code },
    });
    expect(shopifyStatus(code)).toBe("EXPIRED");
    expect(await balances(member.id)).toEqual({ availableCenti: pts(600), redeemedCenti: 0n });
    expect(await db.customerReward.findUniqueOrThrow({ where: { id: entryId } })).toMatchObject({
      status: "refunded",
      refundedAt: expect.any(Date),
    });
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "reward.refunded" } })).toBe(1);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("409 when refunded already; the same Idempotency-Key replays the first answer instead", async () => {
    const { member, entryId } = await boughtReward();
    const headers = { "Idempotency-Key": `refund-${entryId}` };
    const first = await refund(entryId, { headers });
    const replay = await refund(entryId, { headers });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.json()).toEqual(await first.json());
    const again = await refund(entryId);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toMatchObject({ status: "409", detail: "This reward has already been refunded" });
    expect(await balances(member.id)).toEqual({ availableCenti: pts(600), redeemedCenti: 0n });
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("422 for a used reward, an expired one, or one past its expiry date: nothing changes here or in Shopify", async () => {
    const used = await boughtReward();
    await db.customerReward.update({ where: { id: used.entryId }, data: { status: "used", usedAt: new Date() } });
    const expired = await boughtReward();
    await db.customerReward.update({ where: { id: expired.entryId }, data: { status: "expired" } });
    const lapsed = await boughtReward();
    await db.customerReward.update({ where: { id: lapsed.entryId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const [bought, detail] of [
      [used, /^This reward's discount code was used on .+, so it cannot be refunded$/],
      [expired, /^This reward has expired, so it cannot be refunded$/],
      [lapsed, /^This reward has expired, so it cannot be refunded$/],
    ] as const) {
      const response = await refund(bought.entryId);
      expect(response.status).toBe(422);
      expect((await errorOf(response))?.detail).toMatch(detail);
      expect(await balances(bought.member.id)).toEqual({ availableCenti: pts(100), redeemedCenti: pts(500) });
      expect(shopifyStatus(bought.code)).toBe("ACTIVE");
    }
  });

  it("422 when Shopify counts the code used though its order has not reached us: no points come back", async () => {
    const { member, entryId, code } = await boughtReward();
    const [first] = discountOf(code).codeDiscount.codes;
    if (!first) throw new Error("the discount has no code");
    first.asyncUsageCount = 1;
    const response = await refund(entryId);
    expect(response.status).toBe(422);
    expect((await errorOf(response))?.detail).toBe("This reward's discount code was used, so it cannot be refunded");
    expect(await balances(member.id)).toEqual({ availableCenti: pts(100), redeemedCenti: pts(500) });
    expect((await db.customerReward.findUniqueOrThrow({ where: { id: entryId } })).status).toBe("active");
  });

  it("503 with Retry-After when Shopify is unreachable: points untouched; a retry once it is back refunds", async () => {
    const { member, entryId, code } = await boughtReward();
    const headers = { "Idempotency-Key": `down-${entryId}` };
    await shopify.simulator.setFault("down");
    try {
      const response = await refund(entryId, { headers });
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("30");
      expect((await errorOf(response))?.detail).toMatch(/^Unable to connect to Shopify .*nothing was refunded$/);
    } finally {
      await shopify.simulator.setFault("up");
    }
    expect(await balances(member.id)).toEqual({ availableCenti: pts(100), redeemedCenti: pts(500) });
    expect((await db.customerReward.findUniqueOrThrow({ where: { id: entryId } })).status).toBe("active");
    expect(shopifyStatus(code)).toBe("ACTIVE");
    const retry = await refund(entryId, { headers });
    expect(retry.status).toBe(200);
    expect(await balances(member.id)).toEqual({ availableCenti: pts(600), redeemedCenti: 0n });
  });

  it("refunds a reward whose discount a merchant already deleted in Shopify", async () => {
    const { member, entryId, code } = await boughtReward();
    const { id } = discountOf(code);
    // Deleted the way a merchant's admin would: through the Admin API.
    const { admin } = await unauthenticated.admin(shopify.shop);
    const deleted = await admin.graphql(
      `mutation DeleteDiscount($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message } } }`,
      { variables: { id } },
    );
    expect(await deleted.json()).toMatchObject({ data: { discountCodeDelete: { deletedCodeDiscountId: id } } });
    expect(shopify.state.findDiscountByCode(shopify.shop, code)).toBeUndefined();
    const response = await refund(entryId);
    expect(response.status).toBe(200);
    expect(await balances(member.id)).toEqual({ availableCenti: pts(600), redeemedCenti: 0n });
  });

  it("404 for an unknown entry, another shop's, or a purchase that failed; 403 read-only; 401 without a key", async () => {
    expect((await refund("no-such-entry")).status).toBe(404);
    const { member, entryId } = await boughtReward();
    const otherShop = (await installShop(db, { shop: "refund-other.myshopify.com" })).id;
    const otherKey = await unlimitedKey(otherShop, "full");
    const foreign = await refund(entryId, { key: otherKey });
    expect(foreign.status).toBe(404);
    expect((await errorOf(foreign))?.detail).toBe(`Reward history entry ${entryId} not found`);
    expect((await refund(entryId, { key: readKey })).status).toBe(403);
    expect((await refund(entryId, { key: null })).status).toBe(401);
    expect(await balances(member.id)).toEqual({ availableCenti: pts(100), redeemedCenti: pts(500) });
    await db.customerReward.update({ where: { id: entryId }, data: { status: "failed" } });
    expect((await refund(entryId)).status).toBe(404);
  });

  it("405 with Allow for GET", async () => {
    const response = await callRoute("loader", REFUND, apiRequest("GET", "/api/v1/reward-history/x/refund", { key }), {
      id: "x",
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});
