import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, purchaseReward } from "~/modules/ledger";
import { fulfilReservation, generateDiscountCode } from "~/modules/rewards/purchase.server";
import { resumeInterruptedPurchases } from "~/modules/rewards/recovery.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { createRewardDiscount } from "~/shopify/discounts.server";
import { creditStoreCredit } from "~/shopify/store-credit.server";
import { unauthenticated } from "~/shopify.server";

import { createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const CURRENCY = "EUR";
let shopId: string;
let otherShopId: string;
let graphql: AdminGraphql;

async function shopper(points: number, options: { inShopify?: boolean } = {}) {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `rc${Math.random()}@example.com` });
  const id =
    options.inShopify === false
      ? String(800_000_000 + Math.floor(Math.random() * 1e8))
      : (customer.id.split("/").at(-1) ?? "");
  const member = await createMember(db, shopId, { shopifyCustomerId: id });
  await adjustPoints(db, { shopId, identifier: id, deltaCenti: pts(points), actor: "test" });
  return { member, id, gid: `gid://shopify/Customer/${id}` };
}

/** GIVEN a purchase that reserved its points and then crashed before Shopify answered. */
async function interruptedPurchase(options: { inShopify?: boolean; storeCredit?: boolean } = {}) {
  const buyer = await shopper(600, options);
  const reward = await createReward(
    db,
    shopId,
    options.storeCredit
      ? { discountType: "store_credit", discountAmountMinor: 1500n, pointsCostCenti: pts(500) }
      : { discountAmountMinor: 500n, pointsCostCenti: pts(500), expiryDays: 30 },
  );
  const code = options.storeCredit ? null : generateDiscountCode();
  const reserved = await purchaseReward(db, {
    shopId,
    rewardId: reward.id,
    identifier: buyer.id,
    discountCode: code,
    initialStatus: "pending",
    actor: "test",
    at: new Date(Date.now() - 60_000),
  });
  return { ...buyer, reward, code, reservationId: reserved.id };
}

const rowOf = (id: string) => db.customerReward.findUniqueOrThrow({ where: { id } });
const available = async (memberId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).availableCenti;
const discountsWithCode = (code: string) =>
  shopify.state.listDiscounts(shopify.shop).filter((d) => d.codeDiscount.codes.some((c) => c.code === code));
const redeemedEvents = (memberId: string) => db.outboxEvent.count({ where: { memberId, topic: "points.redeemed" } });

/** Every reservation of this test's shop that is old enough, resumed once. */
const resume = () => resumeInterruptedPurchases(db, { shopId, olderThan: new Date() });

const outcomeOf = (results: { customerRewardId: string; outcome: string }[], id: string) =>
  results.filter((result) => result.customerRewardId === id).map((result) => result.outcome);

beforeAll(async () => {
  shopId = (await installShop(db)).id;
  await db.shop.update({ where: { id: shopId }, data: { currencyCode: CURRENCY } });
  otherShopId = (await installShop(db, { shop: "other-recovery.myshopify.com" })).id;
  graphql = (await unauthenticated.admin(shopify.shop)).admin.graphql;
});

afterEach(() => shopify.simulator.setFault("up"));

describe("resumeInterruptedPurchases", () => {
  it("the code exists in Shopify already: activates with that discount, creates nothing", async () => {
    const { member, gid, code, reservationId } = await interruptedPurchase();
    const id = await createRewardDiscount(graphql, {
      code: code ?? "",
      title: "made before the crash",
      customerGid: gid,
      value: { kind: "fixed_amount", amount: "5.00" },
      minimumSubtotal: null,
      startsAt: new Date(),
      endsAt: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    });
    const results = await resume();
    expect(outcomeOf(results, reservationId)).toEqual(["activated"]);
    expect(await rowOf(reservationId)).toMatchObject({ status: "active", discountCode: code, shopifyDiscountId: id });
    expect(discountsWithCode(code ?? "")).toHaveLength(1);
    expect(await available(member.id)).toBe(pts(100));
    expect(await redeemedEvents(member.id)).toBe(1);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("no code in Shopify: creates it (the member's, single use) and activates", async () => {
    const { member, gid, code, reservationId } = await interruptedPurchase();
    expect(outcomeOf(await resume(), reservationId)).toEqual(["activated"]);
    const [discount] = discountsWithCode(code ?? "");
    expect(discount?.codeDiscount).toMatchObject({
      usageLimit: 1,
      context: { customerIds: [gid] },
      customerGets: { value: { __typename: "DiscountAmount", amount: { amount: "5.0" } } },
    });
    const row = await rowOf(reservationId);
    expect(row).toMatchObject({ status: "active", shopifyDiscountId: discount?.id });
    expect(Date.parse(discount?.codeDiscount.endsAt ?? "")).toBe(
      Math.floor((row.expiresAt?.getTime() ?? 0) / 1000) * 1000,
    );
    expect(await available(member.id)).toBe(pts(100));
    expect(await redeemedEvents(member.id)).toBe(1);
  });

  it("Shopify refuses: the reservation is cancelled and every point comes back", async () => {
    const { member, code, reservationId } = await interruptedPurchase({ inShopify: false });
    expect(outcomeOf(await resume(), reservationId)).toEqual(["cancelled"]);
    expect((await rowOf(reservationId)).status).toBe("failed");
    expect(discountsWithCode(code ?? "")).toHaveLength(0);
    expect(await available(member.id)).toBe(pts(600));
    expect(await redeemedEvents(member.id)).toBe(0);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("Shopify down: left pending (points still reserved) and finished by a later run", async () => {
    const { member, code, reservationId } = await interruptedPurchase();
    await shopify.simulator.setFault("down");
    expect(outcomeOf(await resume(), reservationId)).toEqual(["unavailable"]);
    expect((await rowOf(reservationId)).status).toBe("pending");
    await shopify.simulator.setFault("up");
    // The failed attempt claimed it; the claim lasts one grace period.
    const withinClaim = await resumeInterruptedPurchases(db, { shopId, olderThan: new Date(Date.now() - 30_000) });
    expect(outcomeOf(withinClaim, reservationId)).toEqual([]);
    const later = await resumeInterruptedPurchases(db, { shopId, olderThan: new Date(Date.now() + 1000) });
    expect(outcomeOf(later, reservationId)).toEqual(["activated"]);
    expect(discountsWithCode(code ?? "")).toHaveLength(1);
    expect(await available(member.id)).toBe(pts(100));
  });

  it("two resumers at once: one outcome, one discount, one redemption", async () => {
    const { member, code, reservationId } = await interruptedPurchase();
    const [first, second] = await Promise.all([resume(), resume()]);
    const outcomes = [...outcomeOf(first ?? [], reservationId), ...outcomeOf(second ?? [], reservationId)].sort();
    expect(outcomes).toEqual(["activated", "skipped"]);
    expect(discountsWithCode(code ?? "")).toHaveLength(1);
    expect((await rowOf(reservationId)).status).toBe("active");
    expect(await redeemedEvents(member.id)).toBe(1);
    expect(await available(member.id)).toBe(pts(100));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("two workers finishing the same reservation past any claim (lookup, then create) still settle once", async () => {
    const { member, code, reservationId } = await interruptedPurchase();
    const settle = () => fulfilReservation(db, graphql, shopId, reservationId, { actor: "test", lookUpFirst: true });
    const settled = await Promise.allSettled([settle(), settle()]);
    expect(settled.map((result) => result.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(discountsWithCode(code ?? "")).toHaveLength(1);
    expect(await rowOf(reservationId)).toMatchObject({
      status: "active",
      shopifyDiscountId: discountsWithCode(code ?? "")[0]?.id,
    });
    expect(await redeemedEvents(member.id)).toBe(1);
    expect(await available(member.id)).toBe(pts(100));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("idempotent: a second run finds nothing to do", async () => {
    const { reservationId } = await interruptedPurchase();
    expect(outcomeOf(await resume(), reservationId)).toEqual(["activated"]);
    const again = await resumeInterruptedPurchases(db, { shopId, olderThan: new Date(Date.now() + 60_000) });
    expect(outcomeOf(again, reservationId)).toEqual([]);
  });

  it("leaves reservations younger than the grace period, and other shops', alone", async () => {
    const { reservationId } = await interruptedPurchase();
    const earlier = new Date(Date.now() - 3_600_000);
    expect(outcomeOf(await resumeInterruptedPurchases(db, { shopId, olderThan: earlier }), reservationId)).toEqual([]);
    expect(
      outcomeOf(await resumeInterruptedPurchases(db, { shopId: otherShopId, olderThan: new Date() }), reservationId),
    ).toEqual([]);
    expect((await rowOf(reservationId)).status).toBe("pending");
  });

  it("store credit not yet credited: credits it once and activates", async () => {
    const { member, gid, reservationId } = await interruptedPurchase({ storeCredit: true });
    expect(outcomeOf(await resume(), reservationId)).toEqual(["activated"]);
    expect(shopify.state.storeCreditAccountsOf(shopify.shop, gid)[0]?.balance.amount).toBe("15.0");
    expect(await available(member.id)).toBe(pts(100));
  });

  it("store credit credited before the crash: activates without crediting again", async () => {
    const { gid, reservationId } = await interruptedPurchase({ storeCredit: true });
    await creditStoreCredit(graphql, { customerGid: gid, amount: "15.00", currencyCode: CURRENCY, expiresAt: null });
    expect(outcomeOf(await resume(), reservationId)).toEqual(["activated"]);
    expect(shopify.state.storeCreditAccountsOf(shopify.shop, gid)[0]?.balance.amount).toBe("15.0");
  });
});
