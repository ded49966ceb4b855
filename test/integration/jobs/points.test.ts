import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, awardEarningRule } from "~/modules/ledger";
import { runPointsMaintenance } from "~/jobs/scheduled/points.server";

import { createEarningRule, createMember } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";

import { DAY, freshShop, uninstall } from "./shared";

const db = database();
const T0 = new Date("2026-03-01T12:00:00Z");

async function pendingLot(shopId: string) {
  const member = await createMember(db, shopId);
  const rule = await createEarningRule(db, shopId, { pointsCenti: pts(100), approvalDays: 7 });
  await awardEarningRule(db, {
    shopId,
    ruleId: rule.id,
    identifier: member.shopifyCustomerId ?? "",
    actor: "test",
    at: T0,
  });
  return { member, lot: await db.lot.findFirstOrThrow({ where: { memberId: member.id } }) };
}

const entries = (memberId: string, kind: string) => db.ledgerEntry.count({ where: { memberId, kind } });

describe("points job: approvals and expiry", () => {
  it("approves a due pending lot once, even with two workers at the same moment", async () => {
    const shop = await freshShop(db, "approve");
    const { member, lot } = await pendingLot(shop.id);
    await runPointsMaintenance(db, { now: new Date(T0.getTime() + 6 * DAY) });
    expect((await db.lot.findUniqueOrThrow({ where: { id: lot.id } })).status).toBe("pending");

    const now = new Date(T0.getTime() + 8 * DAY);
    await Promise.all([runPointsMaintenance(db, { now }), runPointsMaintenance(db, { now })]);
    await runPointsMaintenance(db, { now });
    expect((await db.lot.findUniqueOrThrow({ where: { id: lot.id } })).status).toBe("approved");
    expect(await entries(member.id, "approve")).toBe(1);
    const after = await db.customer.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.availableCenti).toBe(pts(100));
    expect(after.pendingCenti).toBe(0n);
    expect(await ledgerProblems(db, shop.id)).toEqual([]);
  });

  it("expires an overdue lot once, even with two workers at the same moment", async () => {
    const shop = await freshShop(db, "expire", { expiryPolicy: "after_earning", expiryMonths: 3 });
    const member = await createMember(db, shop.id);
    await adjustPoints(db, {
      shopId: shop.id,
      identifier: member.shopifyCustomerId ?? "",
      deltaCenti: pts(40),
      actor: "test",
      at: T0,
    });
    const now = new Date(T0.getTime() + 120 * DAY);
    await Promise.all([runPointsMaintenance(db, { now }), runPointsMaintenance(db, { now })]);
    await runPointsMaintenance(db, { now });
    expect(await entries(member.id, "expire")).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(0n);
    expect(await ledgerProblems(db, shop.id)).toEqual([]);
  });

  it("works in bounded batches: the rest waits for the next run", async () => {
    const shop = await freshShop(db, "batch");
    const lots = [await pendingLot(shop.id), await pendingLot(shop.id), await pendingLot(shop.id)];
    const now = new Date(T0.getTime() + 8 * DAY);
    await runPointsMaintenance(db, { now, limit: 2 });
    const approved = () => db.lot.count({ where: { id: { in: lots.map((l) => l.lot.id) }, status: "approved" } });
    expect(await approved()).toBe(2);
    await runPointsMaintenance(db, { now, limit: 2 });
    expect(await approved()).toBe(3);
  });

  it("skips uninstalled shops", async () => {
    const shop = await freshShop(db, "gone");
    const { lot } = await pendingLot(shop.id);
    await uninstall(db, shop.id);
    await runPointsMaintenance(db, { now: new Date(T0.getTime() + 30 * DAY) });
    expect((await db.lot.findUniqueOrThrow({ where: { id: lot.id } })).status).toBe("pending");
  });
});
