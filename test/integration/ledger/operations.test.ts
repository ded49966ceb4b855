import { beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import {
  adjustPoints,
  AlreadyAwardedError,
  approveDueLots,
  approvePendingLots,
  awardEarningRule,
  changeTierBasis,
  earnForOrder,
  earnFromRule,
  EarningRuleNotFoundError,
  expirePoints,
  IdempotencyConflictError,
  InsufficientPointsError,
  memberBalances,
  MemberExcludedError,
  MemberNotFoundError,
  purchaseReward,
  refundCustomerReward,
  rejectPendingLot,
  reverseOrderEarnings,
  RewardLimitReachedError,
  RewardNotFoundError,
  RewardNotRefundableError,
  RewardTierRequiredError,
  RuleNotAwardableError,
  setMemberStatus,
} from "~/modules/ledger";

import { createEarningRule, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";

const db = database();
const day = 86_400_000;
let shopId: string;
let member: Awaited<ReturnType<typeof createMember>>;
const actor = "test";

const give = (points: number, at?: Date) =>
  adjustPoints(db, { shopId, identifier: member.email ?? "", deltaCenti: pts(points), actor, ...(at ? { at } : {}) });
const balance = async () => (await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti;
const outbox = async (topic: string) => db.outboxEvent.count({ where: { shopId, topic } });

describe("the ledger", () => {
  beforeEach(async () => {
    await db.shop.deleteMany();
    await db.session.deleteMany();
    shopId = (await installShop(db)).id;
    member = await createMember(db, shopId, { shopifyCustomerId: "6789012345", email: "ada@example.com" });
  });

  describe("awarding a social or engagement rule (seeds 000/001)", () => {
    it("GIVEN a member on a ×1.5 tier THEN awards base × multiplier, approved, with activity and outbox events", async () => {
      const gold = await createTier(db, shopId, { name: "Gold", threshold: 0n, multiplierBp: 15_000 });
      await db.customer.update({ where: { id: member.id }, data: { vipTierId: gold.id } });
      const rule = await createEarningRule(db, shopId, { pointsCenti: pts(100) });
      const entry = await awardEarningRule(db, { shopId, ruleId: rule.id, identifier: "6789012345", actor });
      expect(entry).toMatchObject({
        earningRuleId: rule.id,
        action: "follow_on_instagram",
        pointsCenti: pts(150),
        basePointsCenti: pts(100),
        multiplierBp: 15_000,
        status: "approved",
        dueAt: null,
      });
      expect(entry.givenAt).toBeInstanceOf(Date);
      expect(await balance()).toBe(pts(150));
      expect(await outbox("points.earned")).toBe(1);
      expect(await outbox("member.sync")).toBe(1);
      expect(await db.activityLog.count({ where: { shopId, type: "points_earned", actor } })).toBe(1);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("GIVEN an approval time THEN the points are pending until due, then approved by the job", async () => {
      const rule = await createEarningRule(db, shopId, { pointsCenti: pts(100), approvalDays: 14 });
      const now = new Date("2026-06-01T12:00:00Z");
      const entry = await awardEarningRule(db, {
        shopId,
        ruleId: rule.id,
        identifier: "ada@example.com",
        actor,
        at: now,
      });
      expect(entry).toMatchObject({ status: "pending", givenAt: null, dueAt: new Date("2026-06-15T12:00:00Z") });
      expect(await db.customer.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
        availableCenti: 0n,
        pendingCenti: pts(100),
      });
      expect(await approveDueLots(db, { shopId, at: new Date("2026-06-14T12:00:00Z") })).toBe(0);
      expect(await approveDueLots(db, { shopId, at: new Date("2026-06-15T12:00:00Z") })).toBe(1);
      expect(await db.customer.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
        availableCenti: pts(100),
        pendingCenti: 0n,
        lifetimeCenti: pts(100),
      });
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("GIVEN the same rule twice THEN the second is AlreadyAwardedError (409) and nothing more is written", async () => {
      const rule = await createEarningRule(db, shopId);
      await awardEarningRule(db, { shopId, ruleId: rule.id, identifier: "ada@example.com", actor });
      const entries = await db.ledgerEntry.count();
      await expect(
        awardEarningRule(db, { shopId, ruleId: rule.id, identifier: "ADA@example.com", actor }),
      ).rejects.toBeInstanceOf(AlreadyAwardedError);
      expect(await db.ledgerEntry.count()).toBe(entries);
    });

    it("checks the seed's rules in the seed's order, each with its own typed error", async () => {
      const rule = await createEarningRule(db, shopId);
      const purchase = await createEarningRule(db, shopId, { category: "purchase", action: "place_order" });
      const inactive = await createEarningRule(db, shopId, { isActive: false });
      const award = (ruleId: string, identifier = "ada@example.com") =>
        awardEarningRule(db, { shopId, ruleId, identifier, actor });
      await expect(award(rule.id, "nobody@example.com")).rejects.toBeInstanceOf(MemberNotFoundError);
      await expect(award(rule.id, "not an identifier")).rejects.toBeInstanceOf(MemberNotFoundError);
      await expect(award("missing")).rejects.toBeInstanceOf(EarningRuleNotFoundError);
      await expect(award(inactive.id)).rejects.toBeInstanceOf(EarningRuleNotFoundError);
      await expect(award(purchase.id)).rejects.toBeInstanceOf(RuleNotAwardableError);
      await setMemberStatus(db, { shopId, identifier: "ada@example.com", status: "excluded", actor });
      await expect(award(rule.id)).rejects.toBeInstanceOf(MemberExcludedError);
      expect(await db.ledgerEntry.count()).toBe(0);
    });

    it("GIVEN another shop's rule THEN it does not exist for this shop", async () => {
      const other = await installShop(db, { shop: "other.myshopify.com" });
      const foreign = await createEarningRule(db, other.id);
      await expect(
        awardEarningRule(db, { shopId, ruleId: foreign.id, identifier: "ada@example.com", actor }),
      ).rejects.toBeInstanceOf(EarningRuleNotFoundError);
    });
  });

  describe("purchasing a reward (seeds 002/004)", () => {
    it("GIVEN too few points THEN InsufficientPointsError with the seed's exact wording, and nothing written", async () => {
      await give(200);
      const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
      const attempt = purchaseReward(db, { shopId, rewardId: reward.id, identifier: "6789012345", actor });
      await expect(attempt).rejects.toBeInstanceOf(InsufficientPointsError);
      await expect(attempt).rejects.toThrow("Customer has 200 points but this reward costs 500");
      expect(await db.customerReward.count()).toBe(0);
      expect(await balance()).toBe(pts(200));
    });

    it("spends FIFO: soonest expiry first, then oldest, recording which lots paid", async () => {
      await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_earning", expiryMonths: 12 } });
      const t0 = new Date("2026-01-01T00:00:00Z");
      await give(300, t0); // expires 2027-01-01
      await give(300, new Date(t0.getTime() + 30 * day)); // expires 2027-01-31
      const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
      const bought = await purchaseReward(db, {
        shopId,
        rewardId: reward.id,
        identifier: "ada@example.com",
        actor,
        at: new Date("2026-03-01T00:00:00Z"),
      });
      const lots = await db.lot.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" } });
      expect(lots.map((lot) => lot.remainingCenti)).toEqual([0n, pts(100)]);
      const allocations = await db.lotAllocation.findMany({ where: { customerRewardId: bought.id } });
      expect(allocations.map((a) => [a.lotId, a.amountCenti]).sort()).toEqual(
        [
          [lots[0]?.id, pts(300)],
          [lots[1]?.id, pts(200)],
        ].sort(),
      );
      expect(bought).toMatchObject({ status: "active", pointsSpentCenti: pts(500), rewardName: reward.name });
      expect(await outbox("points.redeemed")).toBe(1);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("enforces active, not deleted, tier restriction and the per-member limit", async () => {
      await give(5000);
      const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(100_000) });
      const buy = (rewardId: string) => purchaseReward(db, { shopId, rewardId, identifier: "ada@example.com", actor });
      await expect(buy((await createReward(db, shopId, { isActive: false })).id)).rejects.toBeInstanceOf(
        RewardNotFoundError,
      );
      await expect(buy((await createReward(db, shopId, { deletedAt: new Date() })).id)).rejects.toBeInstanceOf(
        RewardNotFoundError,
      );
      await expect(buy((await createReward(db, shopId, { vipTierId: gold.id })).id)).rejects.toBeInstanceOf(
        RewardTierRequiredError,
      );
      const once = await createReward(db, shopId, { maxRedemptions: 1 });
      await buy(once.id);
      await expect(buy(once.id)).rejects.toBeInstanceOf(RewardLimitReachedError);
    });

    it("prices a variable reward from the points asked for", async () => {
      await give(1000);
      const variable = await createReward(db, shopId, {
        isVariable: true,
        pointsCostCenti: null,
        pointsPerUnitCenti: pts(100),
        minPointsCenti: pts(100),
        maxPointsCenti: pts(1000),
      });
      const bought = await purchaseReward(db, {
        shopId,
        rewardId: variable.id,
        identifier: "ada@example.com",
        pointsCenti: pts(700),
        actor,
      });
      expect(bought).toMatchObject({ pointsSpentCenti: pts(700), valueMinor: 700n });
      await expect(
        purchaseReward(db, {
          shopId,
          rewardId: variable.id,
          identifier: "ada@example.com",
          pointsCenti: pts(50),
          actor,
        }),
      ).rejects.toThrow(/At least 100 points/);
    });
  });

  describe("refunding a purchased reward", () => {
    it("returns the points to the lots they came from, once", async () => {
      await give(600);
      const reward = await createReward(db, shopId);
      const bought = await purchaseReward(db, { shopId, rewardId: reward.id, identifier: "ada@example.com", actor });
      const refunded = await refundCustomerReward(db, { shopId, customerRewardId: bought.id, actor });
      expect(refunded).toMatchObject({ status: "refunded", restoredCenti: pts(500), reissuedCenti: 0n });
      expect(await balance()).toBe(pts(600));
      await expect(refundCustomerReward(db, { shopId, customerRewardId: bought.id, actor })).rejects.toBeInstanceOf(
        RewardNotRefundableError,
      );
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("GIVEN the paying lots expired meanwhile THEN the points come back as a new lot", async () => {
      await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_earning", expiryMonths: 1 } });
      await give(500, new Date("2026-01-01T00:00:00Z"));
      const reward = await createReward(db, shopId);
      const bought = await purchaseReward(db, {
        shopId,
        rewardId: reward.id,
        identifier: "ada@example.com",
        actor,
        at: new Date("2026-01-10T00:00:00Z"),
      });
      const refunded = await refundCustomerReward(db, {
        shopId,
        customerRewardId: bought.id,
        actor,
        at: new Date("2026-03-01T00:00:00Z"),
      });
      expect(refunded).toMatchObject({ restoredCenti: 0n, reissuedCenti: pts(500) });
      expect(await balance()).toBe(pts(500));
      expect(await db.lot.count({ where: { memberId: member.id, source: "refund", status: "approved" } })).toBe(1);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });
  });

  describe("orders", () => {
    const order = (id: string, subtotal: bigint) => ({
      shopId,
      memberId: member.id,
      shopifyOrderId: id,
      orderNumber: `#${id}`,
      currency: "USD",
      subtotalMinor: subtotal,
      shippingMinor: 500n,
      taxMinor: 0n,
      discountsMinor: 0n,
      actor: "webhook",
    });

    beforeEach(async () => {
      await createEarningRule(db, shopId, {
        category: "purchase",
        action: "place_order",
        pointsPerUnitCenti: pts(5),
        oncePerMember: false,
      });
    });

    it("earns once per order however often the event arrives", async () => {
      await earnForOrder(db, order("1001", 1299n));
      await earnForOrder(db, order("1001", 1299n));
      expect(await balance()).toBe(pts(64)); // 5 points per 1.00 on 12.99, rounded down to whole points
      expect(await db.lot.count()).toBe(1);
    });

    it("reverses partial refunds proportionally and exactly: refunds that add up to the order reverse all it earned", async () => {
      await earnForOrder(db, order("1002", 10_000n)); // 500 points
      await reverseOrderEarnings(db, { shopId, shopifyOrderId: "1002", refundedTotalMinor: 3_333n, actor });
      await reverseOrderEarnings(db, { shopId, shopifyOrderId: "1002", refundedTotalMinor: 6_666n, actor });
      expect(await balance()).toBe(pts(500) - pts("333.30"));
      await reverseOrderEarnings(db, { shopId, shopifyOrderId: "1002", cancelled: true, actor });
      expect(await balance()).toBe(0n);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).lifetimeCenti).toBe(0n);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("GIVEN the order's points were spent THEN a cancellation takes what there is and records the shortfall", async () => {
      await earnForOrder(db, order("1003", 10_000n)); // 500 points
      const reward = await createReward(db, shopId, { pointsCostCenti: pts(400) });
      await purchaseReward(db, { shopId, rewardId: reward.id, identifier: "ada@example.com", actor });
      const result = await reverseOrderEarnings(db, { shopId, shopifyOrderId: "1003", cancelled: true, actor });
      expect(result).toEqual({ reversedCenti: pts(100), shortfallCenti: pts(400) });
      expect(await balance()).toBe(0n);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });
  });

  describe("adjustments, expiry, pending", () => {
    it("never takes the balance below zero (Mage semantics)", async () => {
      await give(200);
      const result = await adjustPoints(db, {
        shopId,
        identifier: "ada@example.com",
        deltaCenti: -pts(500),
        note: "correction",
        actor,
      });
      expect(result).toMatchObject({ pointsBeforeCenti: pts(200), pointsAfterCenti: 0n });
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("keeps fractional points exact to 0.01", async () => {
      await give(0.01);
      await give(12.34);
      expect(await balance()).toBe(1235n);
    });

    it("expires lots N months after earning, and after N months of inactivity", async () => {
      await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_earning", expiryMonths: 6 } });
      await give(100, new Date("2026-01-31T10:00:00Z"));
      expect((await expirePoints(db, { shopId, at: new Date("2026-07-30T10:00:00Z") })).expiredCenti).toBe(0n);
      expect((await expirePoints(db, { shopId, at: new Date("2026-07-31T10:00:00Z") })).expiredCenti).toBe(pts(100));
      expect(await outbox("points.expired")).toBe(1);

      await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_inactivity", expiryMonths: 3 } });
      await give(50, new Date("2026-08-01T00:00:00Z"));
      expect((await expirePoints(db, { shopId, at: new Date("2026-10-31T00:00:00Z") })).expiredCenti).toBe(0n);
      expect((await expirePoints(db, { shopId, at: new Date("2026-11-01T00:00:00Z") })).expiredCenti).toBe(pts(50));
      expect(await balance()).toBe(0n);
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });

    it("approves or rejects pending lots by hand", async () => {
      const rule = await createEarningRule(db, shopId, { approvalDays: 30, oncePerMember: false });
      const other = await createEarningRule(db, shopId, { approvalDays: 30, oncePerMember: false });
      const first = await awardEarningRule(db, { shopId, ruleId: rule.id, identifier: "ada@example.com", actor });
      const second = await awardEarningRule(db, { shopId, ruleId: other.id, identifier: "ada@example.com", actor });
      expect(await approvePendingLots(db, { shopId, lotIds: [first.id], actor })).toBe(1);
      await rejectPendingLot(db, { shopId, lotId: second.id, actor, note: "fraud" });
      expect(await db.customer.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
        availableCenti: pts(100),
        pendingCenti: 0n,
      });
      expect(await ledgerProblems(db, shopId)).toEqual([]);
    });
  });

  describe("VIP tiers", () => {
    it("moves members up and down as their standing changes, each move an event", async () => {
      const silver = await createTier(db, shopId, { name: "Silver", threshold: pts(100) });
      const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
      await give(150);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).vipTierId).toBe(silver.id);
      await give(900);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).vipTierId).toBe(gold.id);
      expect(await outbox("customer.tier_upgrade")).toBe(2);
      await db.customer.update({ where: { id: member.id }, data: { lifetimeSpendMinor: 0n } });
      const moved = await changeTierBasis(db, { shopId, basis: "lifetime_spend", actor });
      expect(moved).toBe(1);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).vipTierId).toBeNull();
      expect(await outbox("customer.tier_downgrade")).toBe(1);
      // Standings were recomputed, not wiped: back on points, back on Gold.
      await changeTierBasis(db, { shopId, basis: "lifetime_points", actor });
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).vipTierId).toBe(gold.id);
    });
  });

  describe("idempotency", () => {
    it("GIVEN the same key and input THEN replays the first result without acting again", async () => {
      const input = { shopId, identifier: "ada@example.com", deltaCenti: pts(100), actor, idempotencyKey: "k-1" };
      const first = await adjustPoints(db, input);
      const second = await adjustPoints(db, input);
      expect(second).toEqual(first);
      expect(await balance()).toBe(pts(100));
    });

    it("GIVEN the same key with another input THEN IdempotencyConflictError", async () => {
      await adjustPoints(db, {
        shopId,
        identifier: "ada@example.com",
        deltaCenti: pts(100),
        actor,
        idempotencyKey: "k-2",
      });
      await expect(
        adjustPoints(db, { shopId, identifier: "ada@example.com", deltaCenti: pts(200), actor, idempotencyKey: "k-2" }),
      ).rejects.toBeInstanceOf(IdempotencyConflictError);
      expect(await balance()).toBe(pts(100));
    });
  });
});

describe("a member's balances and platform-awarded rules", () => {
  beforeEach(async () => {
    await db.shop.deleteMany();
    await db.session.deleteMany();
    shopId = (await installShop(db)).id;
    member = await createMember(db, shopId, { shopifyCustomerId: "6789012345", email: "ada@example.com" });
  });

  it("shows the points expiring within 30 days and their date", async () => {
    await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_earning", expiryMonths: 1 } });
    await give(40, new Date("2026-05-01T00:00:00Z")); // expires 2026-06-01
    await give(60, new Date("2026-05-20T00:00:00Z")); // expires 2026-06-20
    const balances = await memberBalances(db, member.id, new Date("2026-05-25T00:00:00Z"));
    expect(balances).toMatchObject({
      availableCenti: pts(100),
      expiringSoonCenti: pts(100),
      nextExpiryAt: new Date("2026-06-01T00:00:00Z"),
    });
    const later = await memberBalances(db, member.id, new Date("2026-05-03T00:00:00Z"));
    expect(later).toMatchObject({ expiringSoonCenti: pts(40), nextExpiryAt: new Date("2026-06-01T00:00:00Z") });
  });

  it("awards a birthday rule once per year", async () => {
    const birthday = await createEarningRule(db, shopId, {
      category: "birthday",
      action: "birthday",
      pointsCenti: pts(250),
    });
    const earn = (year: string) =>
      earnFromRule(db, { shopId, memberId: member.id, ruleId: birthday.id, occurrence: year, actor: "system" });
    expect(await earn("2026")).toMatchObject({ pointsCenti: pts(250) });
    expect(await earn("2026")).toBeNull();
    expect(await earn("2027")).toMatchObject({ pointsCenti: pts(250) });
    expect(await balance()).toBe(pts(500));
  });

  it("lets a repeatable engagement rule earn again, and a once-per-member rule only once", async () => {
    const repeatable = await createEarningRule(db, shopId, {
      category: "engagement",
      action: "visit_store",
      oncePerMember: false,
      pointsCenti: pts(5),
    });
    await awardEarningRule(db, { shopId, ruleId: repeatable.id, identifier: "ada@example.com", actor });
    await awardEarningRule(db, { shopId, ruleId: repeatable.id, identifier: "ada@example.com", actor });
    expect(await balance()).toBe(pts(10));
  });
});
