import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { runRewardExpiry } from "~/jobs/scheduled/reward-expiry.server";
import { adjustPoints, purchaseReward } from "~/modules/ledger";

import { createMember, createReward } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";

import { freshShop, uninstall } from "./shared";

const db = database();
const BOUGHT = new Date("2026-04-01T10:00:00Z");
const EXPIRES = new Date("2026-05-01T10:00:00Z");

async function boughtReward(returnPoints: boolean) {
  const shop = await freshShop(db, "reward-expiry", { returnPointsOnRewardExpiry: returnPoints });
  const member = await createMember(db, shop.id);
  const identifier = member.shopifyCustomerId ?? "";
  await adjustPoints(db, { shopId: shop.id, identifier, deltaCenti: pts(800), actor: "test", at: BOUGHT });
  const reward = await createReward(db, shop.id, { pointsCostCenti: pts(500) });
  const bought = await purchaseReward(db, {
    shopId: shop.id,
    rewardId: reward.id,
    identifier,
    discountCode: `EXP-${member.id}`,
    actor: "test",
    at: BOUGHT,
  });
  await db.customerReward.update({ where: { id: bought.id }, data: { expiresAt: EXPIRES } });
  return { shop, member, customerRewardId: bought.id };
}

const statusOf = async (id: string) => (await db.customerReward.findUniqueOrThrow({ where: { id } })).status;
const available = async (memberId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).availableCenti;

describe("reward expiry job", () => {
  it("leaves a reward alone until its expiresAt", async () => {
    const { customerRewardId } = await boughtReward(false);
    await runRewardExpiry(db, { now: new Date(EXPIRES.getTime() - 1) });
    expect(await statusOf(customerRewardId)).toBe("active");
  });

  it("setting off: the reward expires, the points stay spent", async () => {
    const { shop, member, customerRewardId } = await boughtReward(false);
    await Promise.all([runRewardExpiry(db, { now: EXPIRES }), runRewardExpiry(db, { now: EXPIRES })]);
    expect(await statusOf(customerRewardId)).toBe("expired");
    expect(await available(member.id)).toBe(pts(300));
    expect(await db.ledgerEntry.count({ where: { memberId: member.id, kind: "refund" } })).toBe(0);
    expect(await ledgerProblems(db, shop.id)).toEqual([]);
  });

  it("setting on: the points come back once through the ledger, saying why, even with two workers", async () => {
    const { shop, member, customerRewardId } = await boughtReward(true);
    await Promise.all([runRewardExpiry(db, { now: EXPIRES }), runRewardExpiry(db, { now: EXPIRES })]);
    await runRewardExpiry(db, { now: EXPIRES });
    const row = await db.customerReward.findUniqueOrThrow({ where: { id: customerRewardId } });
    expect(row.status).toBe("expired");
    expect(row.refundedAt).toBeNull();
    expect(await available(member.id)).toBe(pts(800));
    const refunds = await db.ledgerEntry.findMany({ where: { memberId: member.id, kind: "refund" } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ customerRewardId, availableDeltaCenti: pts(500) });
    expect(refunds[0]?.note).toContain("reward expired unused");
    expect(await db.activityLog.count({ where: { memberId: member.id, type: "reward_expired" } })).toBe(1);
    expect(await ledgerProblems(db, shop.id)).toEqual([]);
  });

  it("does not touch used rewards nor uninstalled shops", async () => {
    const used = await boughtReward(true);
    await db.customerReward.update({ where: { id: used.customerRewardId }, data: { status: "used" } });
    const gone = await boughtReward(true);
    await uninstall(db, gone.shop.id);
    await runRewardExpiry(db, { now: EXPIRES });
    expect(await statusOf(used.customerRewardId)).toBe("used");
    expect(await statusOf(gone.customerRewardId)).toBe("active");
    expect(await available(gone.member.id)).toBe(pts(300));
  });
});
