import { beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { drainWorker } from "~/jobs/worker.server";

import { createEarningRule, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { simulateShopify } from "../../helpers/shopify";
import { deliver, orderPayload, post, refundPayload, resetWebhookData } from "./helpers";

const db = database();
const CUSTOMER = "6789012345";
const OTHER_SHOP = "another-store.myshopify.com";
// The other shop's Admin API, where an order's unknown customer is looked up (none of this file's
// orders names a customer of that shop).
simulateShopify({ shop: OTHER_SHOP });

let shopId: string;
let memberId: string;

const member = () => db.customer.findUniqueOrThrow({ where: { id: memberId } });
const purchaseRule = (overrides: Parameters<typeof createEarningRule>[2] = {}) =>
  createEarningRule(db, shopId, {
    category: "purchase",
    action: "place_order",
    pointsCenti: 0n,
    oncePerMember: false,
    pointsPerUnitCenti: 100n, // 1 point per 1.00
    ...overrides,
  });

describe("order webhooks through the inbox and the worker", () => {
  beforeEach(async () => {
    await resetWebhookData(db);
    shopId = (await installShop(db)).id;
    memberId = (await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "ada@example.com" })).id;
  });

  it("orders/paid is stored and answered 200 at once; the worker earns on the subtotal after discounts with the tier multiplier, pending per approval time", async () => {
    const tier = await createTier(db, shopId, { name: "Gold", threshold: 0n, multiplierBp: 15_000 });
    await db.customer.update({ where: { id: memberId }, data: { vipTierId: tier.id } });
    await purchaseRule(); // merchandise only, approved at once
    await purchaseRule({ includeShipping: true, includeTax: true, approvalDays: 14 });
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "123.45", shipping: "10.00", tax: "5.55" });

    expect(await post("orders/paid", order)).toBe(200);
    // Acknowledged, nothing earned yet: the work is the worker's.
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({
      topic: "orders/paid",
      status: "pending",
      shopId,
      attempts: 0,
    });
    expect((await member()).availableCenti).toBe(0n);

    const now = new Date("2026-11-25T12:00:00Z");
    expect(await drainWorker(db, { now })).toEqual({ processed: 1, retried: 0, failed: 0 });
    const after = await member();
    // 123.45 → 123 points (rounded down) × 1.5 = 184.5 approved.
    expect(after.availableCenti).toBe(pts("184.5"));
    // 123.45 + 10.00 + 5.55 = 139.00 → 139 × 1.5 = 208.5 pending for 14 days.
    expect(after.pendingCenti).toBe(pts("208.5"));
    const pending = await db.lot.findFirstOrThrow({ where: { memberId, status: "pending" } });
    expect(pending.dueAt).toEqual(new Date("2026-12-09T12:00:00Z"));
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({
      status: "done",
      attempts: 1,
      processedAt: now,
    });
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("a redelivery (same webhook id) stores nothing new; the same order under another webhook id earns once", async () => {
    await purchaseRule();
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "50.00" });
    expect(await deliver(db, "orders/paid", order, { webhookId: "w-1" })).toBe(200);
    expect(await deliver(db, "orders/paid", order, { webhookId: "w-1" })).toBe(200);
    expect(await db.webhookDelivery.count()).toBe(1);
    expect(await deliver(db, "orders/paid", order, { webhookId: "w-2" })).toBe(200);
    expect(await db.webhookDelivery.count({ where: { status: "done" } })).toBe(2);
    expect((await member()).availableCenti).toBe(pts(50));
    expect(await db.lot.count({ where: { memberId } })).toBe(1);
  });

  it("partial refunds reverse proportionally and add up exactly to a full refund; a repeated refund counts once", async () => {
    await purchaseRule({ pointsPerUnitCenti: 333n, rounding: "nearest" });
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "100.00" });
    await deliver(db, "orders/paid", order);
    expect((await member()).availableCenti).toBe(pts(333));

    await deliver(db, "refunds/create", refundPayload(order.id, 1, ["33.33"]));
    // 333 × 33.33 / 100 = 110.9889 → 110.99 reversed (the ledger rounds a reversal up to the centipoint).
    expect((await member()).availableCenti).toBe(pts(333) - 11_099n);
    await deliver(db, "refunds/create", refundPayload(order.id, 1, ["33.33"]), { webhookId: "again" });
    expect((await member()).availableCenti).toBe(pts(333) - 11_099n);
    await deliver(db, "refunds/create", refundPayload(order.id, 2, ["20.00", "13.33"]));
    await deliver(db, "refunds/create", refundPayload(order.id, 3, ["33.34"]));
    const after = await member();
    expect(after.availableCenti).toBe(0n);
    expect(after.lifetimeCenti).toBe(0n);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("a refund that arrives before orders/paid is applied when the order earns", async () => {
    await purchaseRule();
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "80.00" });
    expect(await deliver(db, "refunds/create", refundPayload(order.id, 7, ["20.00"]))).toBe(200);
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "done" });
    await deliver(db, "orders/paid", order);
    expect((await member()).availableCenti).toBe(pts(60));
    expect((await db.order.findFirstOrThrow()).refundedMinor).toBe(2_000n);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("orders/cancelled rejects the pending lots and reverses the approved earnings", async () => {
    await purchaseRule();
    await purchaseRule({ approvalDays: 30 });
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "40.00" });
    await deliver(db, "orders/paid", order);
    expect(await member()).toMatchObject({ availableCenti: pts(40), pendingCenti: pts(40) });
    await deliver(db, "orders/cancelled", { id: order.id, cancel_reason: "customer" });
    expect(await member()).toMatchObject({ availableCenti: 0n, pendingCenti: 0n, lifetimeCenti: 0n });
    expect(
      (await db.lot.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } })).map((l) => l.status),
    ).toContain("rejected");
    expect((await db.order.findFirstOrThrow()).cancelledAt).toBeInstanceOf(Date);
    // A cancellation delivered again changes nothing.
    await deliver(db, "orders/cancelled", { id: order.id, cancel_reason: "customer" });
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("an order cancelled before its orders/paid is processed earns nothing", async () => {
    await purchaseRule();
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "40.00" });
    await deliver(db, "orders/cancelled", { id: order.id });
    await deliver(db, "orders/paid", order);
    expect((await member()).availableCenti).toBe(0n);
    expect(await db.activityLog.count({ where: { shopId, type: "order_cancelled" } })).toBe(1);
  });

  it("a guest order (no customer) earns nothing and is logged", async () => {
    await purchaseRule();
    await deliver(db, "orders/paid", orderPayload({ customerId: null, subtotal: "99.00" }));
    expect(await db.lot.count()).toBe(0);
    expect(await db.activityLog.findFirstOrThrow({ where: { shopId, type: "guest_order" } })).toMatchObject({
      memberId: null,
    });
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "done" });
  });

  it("another shop's order body replayed under this shop's domain is rejected: its customer is looked up (and enrolled) in the delivering shop only", async () => {
    await purchaseRule();
    const other = await installShop(db, { shop: OTHER_SHOP });
    await createEarningRule(db, other.id, { category: "purchase", action: "place_order", pointsPerUnitCenti: 100n });
    const order = orderPayload({ customerId: CUSTOMER, subtotal: "70.00" });
    expect(await deliver(db, "orders/paid", order, { shop: OTHER_SHOP })).toBe(200);
    const replay = await db.webhookDelivery.findFirstOrThrow({ where: { shopDomain: OTHER_SHOP } });
    // The other shop's Admin API has no such customer: nobody is enrolled there, nothing earns.
    expect(replay).toMatchObject({ status: "done", attempts: 1 });
    expect(await db.customer.count({ where: { shopId: other.id } })).toBe(0);
    expect(await db.activityLog.count({ where: { shopId: other.id, type: "order_customer_unknown" } })).toBe(1);
    expect(await db.lot.count()).toBe(0);
    expect(await db.order.count()).toBe(0);
    // The real shop's delivery of the same order earns as usual.
    await deliver(db, "orders/paid", order);
    expect((await member()).availableCenti).toBe(pts(70));
    expect(await db.order.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("a webhook for a shop that never installed the app is answered 200 and stores nothing", async () => {
    expect(
      await post("orders/paid", orderPayload({ customerId: CUSTOMER, subtotal: "1.00" }), {
        shop: "stranger.myshopify.com",
      }),
    ).toBe(200);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("orders/paid with a Pointwise code marks that member's active reward used at the order's time, once", async () => {
    const reward = await createReward(db, shopId);
    const bought = await db.customerReward.create({
      data: {
        shopId,
        memberId,
        rewardId: reward.id,
        rewardSnapshot: "{}",
        pointsSpentCenti: 50_000n,
        discountCode: "PW-7H3K9Q2M",
        status: "active",
      },
    });
    const order = orderPayload({
      customerId: CUSTOMER,
      subtotal: "30.00",
      codes: ["pw-7h3k9q2m"],
      processedAt: "2026-11-22T08:30:00Z",
    });
    await deliver(db, "orders/paid", order);
    expect(await db.customerReward.findUniqueOrThrow({ where: { id: bought.id } })).toMatchObject({
      status: "used",
      usedAt: new Date("2026-11-22T08:30:00Z"),
    });
    await deliver(db, "orders/paid", order, { webhookId: "again" });
    expect(await db.activityLog.count({ where: { type: "reward_used" } })).toBe(1);
  });

  it("another member's code in the order is left alone", async () => {
    const reward = await createReward(db, shopId);
    const someoneElse = await createMember(db, shopId, { shopifyCustomerId: "111" });
    const theirs = await db.customerReward.create({
      data: {
        shopId,
        memberId: someoneElse.id,
        rewardId: reward.id,
        rewardSnapshot: "{}",
        pointsSpentCenti: 50_000n,
        discountCode: "PW-THEIRS01",
      },
    });
    await deliver(db, "orders/paid", orderPayload({ customerId: CUSTOMER, subtotal: "30.00", codes: ["PW-THEIRS01"] }));
    expect((await db.customerReward.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("active");
  });
});
