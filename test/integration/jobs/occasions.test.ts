import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { celebratedEndings, runOccasion } from "~/jobs/scheduled/occasions.server";

import { createEarningRule, createMember } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";

import { freshShop, uninstall } from "./shared";

const db = database();

async function shopWithRule(category: "birthday" | "anniversary") {
  const shop = await freshShop(db, category);
  const rule = await createEarningRule(db, shop.id, {
    category,
    action: category,
    pointsCenti: pts(50),
    oncePerMember: false,
  });
  return { shop, rule };
}

async function memberBorn(shopId: string, field: "dateOfBirth" | "anniversaryDate", date: string) {
  const member = await createMember(db, shopId);
  return db.customer.update({ where: { id: member.id }, data: { [field]: date } });
}

const lotsOf = (memberId: string) => db.lot.findMany({ where: { memberId }, orderBy: { createdAt: "asc" } });

describe("birthday and anniversary job", () => {
  it("awards the birthday rule on the member's day, once a year across reruns and two workers", async () => {
    const { shop, rule } = await shopWithRule("birthday");
    const member = await memberBorn(shop.id, "dateOfBirth", "1990-03-15");
    const other = await memberBorn(shop.id, "dateOfBirth", "1990-03-16");
    const day = new Date("2026-03-15T09:00:00Z");

    await runOccasion(db, "birthday", { now: new Date("2026-03-14T23:59:00Z") });
    expect(await lotsOf(member.id)).toHaveLength(0);

    await Promise.all([runOccasion(db, "birthday", { now: day }), runOccasion(db, "birthday", { now: day })]);
    await runOccasion(db, "birthday", { now: new Date("2026-03-15T22:00:00Z") });
    const lots = await lotsOf(member.id);
    expect(lots).toHaveLength(1);
    expect(lots[0]).toMatchObject({ sourceKey: `rule:${rule.id}:2026`, amountCenti: pts(50), status: "approved" });
    expect(await lotsOf(other.id)).toHaveLength(0);

    // Even with the day's JobState gone, the yearly business key earns nothing more.
    await db.jobState.deleteMany({ where: { shopId: shop.id } });
    await runOccasion(db, "birthday", { now: day });
    expect(await lotsOf(member.id)).toHaveLength(1);

    await runOccasion(db, "birthday", { now: new Date("2027-03-15T00:00:00Z") });
    const next = await lotsOf(member.id);
    expect(next.map((lot) => lot.sourceKey)).toEqual([`rule:${rule.id}:2026`, `rule:${rule.id}:2027`]);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(100));
    expect(await ledgerProblems(db, shop.id)).toEqual([]);
  });

  it("awards the anniversary rule on the anniversary date, not on the birthday", async () => {
    const { shop, rule } = await shopWithRule("anniversary");
    const member = await createMember(db, shop.id);
    await db.customer.update({
      where: { id: member.id },
      data: { anniversaryDate: "2020-07-01", dateOfBirth: "1985-07-02" },
    });
    await runOccasion(db, "anniversary", { now: new Date("2026-07-02T10:00:00Z") });
    expect(await lotsOf(member.id)).toHaveLength(0);
    const now = new Date("2026-07-01T10:00:00Z");
    await Promise.all([runOccasion(db, "anniversary", { now }), runOccasion(db, "anniversary", { now })]);
    expect((await lotsOf(member.id)).map((lot) => lot.sourceKey)).toEqual([`rule:${rule.id}:2026`]);
    // The birthday job does nothing here: the shop has no birthday rule.
    await runOccasion(db, "birthday", { now: new Date("2026-07-02T10:00:00Z") });
    expect(await lotsOf(member.id)).toHaveLength(1);
  });

  it("celebrates 29 February on 28 February in non-leap years, on the 29th in leap years", async () => {
    expect(celebratedEndings(new Date("2027-02-28T00:00:00Z"))).toEqual(["-02-28", "-02-29"]);
    expect(celebratedEndings(new Date("2028-02-28T00:00:00Z"))).toEqual(["-02-28"]);
    expect(celebratedEndings(new Date("2100-02-28T00:00:00Z"))).toEqual(["-02-28", "-02-29"]);
    const { shop, rule } = await shopWithRule("birthday");
    const leapling = await memberBorn(shop.id, "dateOfBirth", "2000-02-29");
    await runOccasion(db, "birthday", { now: new Date("2027-02-28T08:00:00Z") });
    await runOccasion(db, "birthday", { now: new Date("2027-03-01T08:00:00Z") });
    await runOccasion(db, "birthday", { now: new Date("2028-02-28T08:00:00Z") });
    expect((await lotsOf(leapling.id)).map((lot) => lot.sourceKey)).toEqual([`rule:${rule.id}:2027`]);
    await runOccasion(db, "birthday", { now: new Date("2028-02-29T08:00:00Z") });
    expect((await lotsOf(leapling.id)).map((lot) => lot.sourceKey)).toEqual([
      `rule:${rule.id}:2027`,
      `rule:${rule.id}:2028`,
    ]);
  });

  it("walks the day's members in bounded batches with a cursor, then marks the day done", async () => {
    const { shop } = await shopWithRule("birthday");
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await memberBorn(shop.id, "dateOfBirth", "1999-05-05"));
    const now = new Date("2026-05-05T06:00:00Z");
    await runOccasion(db, "birthday", { now, limit: 2 });
    const state = () =>
      db.jobState.findUniqueOrThrow({
        where: { shopId_job_key: { shopId: shop.id, job: "birthday", key: "2026-05-05" } },
      });
    expect(await state()).toMatchObject({ status: "idle", processed: 2 });
    expect(await db.lot.count({ where: { shopId: shop.id } })).toBe(2);
    await runOccasion(db, "birthday", { now, limit: 2 });
    expect(await state()).toMatchObject({ status: "done", processed: 3, leaseUntil: null });
    expect(await db.lot.count({ where: { shopId: shop.id } })).toBe(3);
  });

  it("skips inactive rules, excluded members and uninstalled shops", async () => {
    const { shop, rule } = await shopWithRule("birthday");
    const excluded = await memberBorn(shop.id, "dateOfBirth", "1990-09-09");
    await db.customer.update({ where: { id: excluded.id }, data: { status: "excluded" } });
    const inactive = await shopWithRule("birthday");
    await db.earningRule.update({ where: { id: inactive.rule.id }, data: { isActive: false } });
    const inactiveMember = await memberBorn(inactive.shop.id, "dateOfBirth", "1990-09-09");
    const gone = await shopWithRule("birthday");
    const goneMember = await memberBorn(gone.shop.id, "dateOfBirth", "1990-09-09");
    await uninstall(db, gone.shop.id);
    await runOccasion(db, "birthday", { now: new Date("2026-09-09T12:00:00Z") });
    expect(await lotsOf(excluded.id)).toHaveLength(0);
    expect(await lotsOf(inactiveMember.id)).toHaveLength(0);
    expect(await lotsOf(goneMember.id)).toHaveLength(0);
    expect(await db.jobState.count({ where: { shopId: gone.shop.id } })).toBe(0);
    expect(rule.isActive).toBe(true);
  });
});
