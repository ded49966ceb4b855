import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const PURCHASE = "app/routes/api.v1.rewards.$id.purchase.tsx";
let shopId: string;
let key: string;

const purchase = (rewardId: string, body: unknown, headers: Record<string, string> = {}) =>
  callRoute("action", PURCHASE, apiRequest("POST", `/api/v1/rewards/${rewardId}/purchase`, { key, body, headers }), {
    id: rewardId,
  });

/** GIVEN a member of the shop who is also a customer in (simulated) Shopify, with points. */
async function shopper(points: number) {
  const customer = shopify.state.addCustomer(shopify.shop, {
    email: `buyer${Math.random()}@example.com`,
    firstName: "B",
  });
  const id = customer.id.split("/").at(-1) ?? "";
  const member = await createMember(db, shopId, { shopifyCustomerId: id, email: customer.email ?? "" });
  if (points > 0) {
    const { adjustPoints } = await import("~/modules/ledger");
    await adjustPoints(db, { shopId, identifier: id, deltaCenti: pts(points), actor: "test" });
  }
  return { member, id, gid: customer.id };
}

describe("POST /api/v1/rewards/{id}/purchase (seeds 002/004)", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
  });

  it("201: spends the points FIFO and answers the seed's reward_history_entry with a real Shopify discount code", async () => {
    const { member, id, gid } = await shopper(600);
    const reward = await createReward(db, shopId, {
      name: "£5 off your next order",
      pointsCostCenti: pts(500),
      expiryDays: 30,
    });
    const response = await purchase(reward.id, { customer_identifier: id });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { type: string; attributes: Record<string, unknown> } };
    expect(data.type).toBe("reward_history_entry");
    expect(data.attributes).toMatchObject({
      reward_id: reward.id,
      reward_name: "£5 off your next order",
      reward_discount_type: "fixed_amount",
      points_spent: 500,
      status: "active",
      is_refunded: false,
      discount_code_redeemed_at: null,
      redeemed_at: null,
    });
    const code = String(data.attributes.discount_code);
    expect(code).toMatch(/^PW-[2-9A-HJKMNP-Z]{10}$/);
    const discount = shopify.state.findDiscountByCode(shopify.shop, code);
    expect(discount).toBeDefined();
    expect(JSON.stringify(discount)).toContain(gid);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(100));
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "points.redeemed" } })).toBe(1);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("422 Insufficient Points with the seed's exact detail; nothing spent, nothing created in Shopify", async () => {
    const { member, id } = await shopper(200);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    const before = shopify.state.listDiscounts(shopify.shop).length;
    const response = await purchase(reward.id, { customer_identifier: id });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      errors: [
        { status: "422", title: "Insufficient Points", detail: "Customer has 200 points but this reward costs 500" },
      ],
    });
    expect(shopify.state.listDiscounts(shopify.shop).length).toBe(before);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(200));
  });

  it("503 when Shopify is down: the customer keeps every point and no code exists", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    await shopify.simulator.setFault("down");
    try {
      const response = await purchase(reward.id, { customer_identifier: id });
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("30");
      expect(await response.json()).toMatchObject({
        errors: [{ status: "503", detail: expect.stringContaining("no points were spent") }],
      });
    } finally {
      await shopify.simulator.setFault("up");
    }
    const after = await db.customer.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ availableCenti: pts(600), redeemedCenti: 0n });
    expect(await db.customerReward.findMany({ where: { memberId: member.id }, select: { status: true } })).toEqual([
      { status: "failed" },
    ]);
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "points.redeemed" } })).toBe(0);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("makes percentage and free-shipping codes in Shopify too", async () => {
    const { id } = await shopper(1000);
    const percent = await createReward(db, shopId, {
      discountType: "percentage",
      discountAmountMinor: null,
      discountPercentBp: 1000,
      pointsCostCenti: pts(100),
    });
    const shipping = await createReward(db, shopId, {
      discountType: "free_shipping",
      discountAmountMinor: null,
      pointsCostCenti: pts(100),
    });
    for (const reward of [percent, shipping]) {
      const response = await purchase(reward.id, { customer_identifier: id });
      expect(response.status).toBe(201);
      const code = String(
        ((await response.json()) as { data: { attributes: { discount_code: string } } }).data.attributes.discount_code,
      );
      expect(shopify.state.findDiscountByCode(shopify.shop, code)?.__typename).toBe("DiscountCodeNode");
    }
  });

  it("403 for an excluded customer or one not on the reward's tier; 404 for unknown ids; 400 without an identifier", async () => {
    const { id } = await shopper(1000);
    const gold = await createTier(db, shopId, { name: "Gold only", threshold: pts(999_999) });
    const exclusive = await createReward(db, shopId, { vipTierId: gold.id });
    expect((await purchase(exclusive.id, { customer_identifier: id })).status).toBe(403);
    const reward = await createReward(db, shopId);
    expect((await purchase("no-such-reward", { customer_identifier: id })).status).toBe(404);
    expect((await purchase(reward.id, { customer_identifier: "ghost@example.com" })).status).toBe(404);
    expect((await purchase(reward.id, {})).status).toBe(400);
    await setMemberStatus(db, { shopId, identifier: id, status: "excluded", actor: "test" });
    expect((await purchase(reward.id, { customer_identifier: id })).status).toBe(403);
  });

  it("an Idempotency-Key buys once: the retry answers the same code", async () => {
    const { member, id } = await shopper(1000);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
    const headers = { "Idempotency-Key": `buy-${member.id}` };
    const first = (await (await purchase(reward.id, { customer_identifier: id }, headers)).json()) as {
      data: { attributes: { discount_code: string } };
    };
    const second = (await (await purchase(reward.id, { customer_identifier: id }, headers)).json()) as {
      data: { attributes: { discount_code: string } };
    };
    expect(second.data.attributes.discount_code).toBe(first.data.attributes.discount_code);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(900));
  });
});
