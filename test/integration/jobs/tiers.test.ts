import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { runDailyTiers } from "~/jobs/scheduled/tiers.server";
import { adjustPoints } from "~/modules/ledger";

import { createMember, createTier } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";

import { freshShop, uninstall } from "./shared";

const db = database();
const DAY1 = new Date("2026-06-10T03:00:00Z");

async function shopWithMember() {
  const shop = await freshShop(db, "tiers");
  const member = await createMember(db, shop.id);
  await adjustPoints(db, {
    shopId: shop.id,
    identifier: member.shopifyCustomerId ?? "",
    deltaCenti: pts(200),
    actor: "test",
    at: DAY1,
  });
  return { shop, member };
}

const memberRow = (id: string) => db.customer.findUniqueOrThrow({ where: { id } });

describe("daily tier review", () => {
  it("moves members to the tier they earn, once per shop and UTC day even with two workers", async () => {
    const { shop, member } = await shopWithMember();
    const bronze = await createTier(db, shop.id, { name: "Bronze", threshold: pts(100) });
    const versionBefore = (await memberRow(member.id)).ledgerVersion;

    await Promise.all([runDailyTiers(db, { now: DAY1 }), runDailyTiers(db, { now: DAY1 })]);
    const after = await memberRow(member.id);
    expect(after.vipTierId).toBe(bronze.id);
    // Each review touches every member once: two concurrent runs reviewed once.
    expect(after.ledgerVersion).toBe(versionBefore + 1);
    expect(await db.tierChange.count({ where: { memberId: member.id } })).toBe(1);
    expect(
      await db.jobState.findUniqueOrThrow({
        where: { shopId_job_key: { shopId: shop.id, job: "tiers", key: "2026-06-10" } },
      }),
    ).toMatchObject({ status: "done", processed: 1, leaseUntil: null });

    // A new tier later the same day waits for tomorrow's review.
    const silver = await createTier(db, shop.id, { name: "Silver", threshold: pts(150) });
    await runDailyTiers(db, { now: new Date("2026-06-10T23:59:59Z") });
    expect((await memberRow(member.id)).vipTierId).toBe(bronze.id);
    await runDailyTiers(db, { now: new Date("2026-06-11T00:00:01Z") });
    expect((await memberRow(member.id)).vipTierId).toBe(silver.id);
  });

  it("takes over a run whose worker died (lapsed lease), and not one still held", async () => {
    const { shop, member } = await shopWithMember();
    const bronze = await createTier(db, shop.id, { name: "Bronze", threshold: pts(100) });
    await db.jobState.create({
      data: {
        shopId: shop.id,
        job: "tiers",
        key: "2026-06-10",
        status: "running",
        leaseUntil: new Date("2026-06-10T03:05:00Z"),
      },
    });
    await runDailyTiers(db, { now: DAY1 });
    expect((await memberRow(member.id)).vipTierId).toBeNull();
    await runDailyTiers(db, { now: new Date("2026-06-10T03:06:00Z") });
    expect((await memberRow(member.id)).vipTierId).toBe(bronze.id);
  });

  it("skips uninstalled shops", async () => {
    const { shop, member } = await shopWithMember();
    await createTier(db, shop.id, { name: "Bronze", threshold: pts(100) });
    await uninstall(db, shop.id);
    await runDailyTiers(db, { now: DAY1 });
    expect((await memberRow(member.id)).vipTierId).toBeNull();
    expect(await db.jobState.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
