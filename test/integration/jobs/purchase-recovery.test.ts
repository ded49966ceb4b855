import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { runPurchaseRecovery } from "~/jobs/scheduled/purchase-recovery.server";
import { adjustPoints, purchaseReward } from "~/modules/ledger";
import { generateDiscountCode } from "~/modules/rewards/purchase.server";

import { createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { simulateShopify } from "../../helpers/shopify";

import { freshShop, uninstall } from "./shared";

const db = database();
const shopify = simulateShopify();
let shopId: string;

beforeAll(async () => {
  shopId = (await installShop(db)).id;
});

afterEach(() => shopify.simulator.setFault("up"));

/** GIVEN a purchase that reserved its points and crashed before Shopify answered. */
async function interrupted(forShopId = shopId) {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `job${Math.random()}@example.com` });
  const id = customer.id.split("/").at(-1) ?? "";
  const member = await createMember(db, forShopId, { shopifyCustomerId: id });
  await adjustPoints(db, { shopId: forShopId, identifier: id, deltaCenti: pts(600), actor: "test" });
  const reward = await createReward(db, forShopId, { discountAmountMinor: 500n, pointsCostCenti: pts(500) });
  const code = generateDiscountCode();
  const reserved = await purchaseReward(db, {
    shopId: forShopId,
    rewardId: reward.id,
    identifier: id,
    discountCode: code,
    initialStatus: "pending",
    actor: "test",
  });
  return { member, code, id: reserved.id };
}

const statusOf = async (id: string) => (await db.customerReward.findUniqueOrThrow({ where: { id } })).status;
const discountsWithCode = (code: string) =>
  shopify.state.listDiscounts(shopify.shop).filter((d) => d.codeDiscount.codes.some((c) => c.code === code));
/** The job's clock: past the 2-minute grace of everything created so far. */
const later = () => new Date(Date.now() + 3 * 60_000);

describe("purchase recovery job", () => {
  it("leaves a reservation younger than 2 minutes alone", async () => {
    const purchase = await interrupted();
    await runPurchaseRecovery(db, { now: new Date(Date.now() + 60_000) });
    expect(await statusOf(purchase.id)).toBe("pending");
    await runPurchaseRecovery(db, { now: later() });
    expect(await statusOf(purchase.id)).toBe("active");
  });

  it("resumes an interrupted purchase once, even with two workers at the same moment", async () => {
    const purchase = await interrupted();
    const now = later();
    const [a, b] = await Promise.all([runPurchaseRecovery(db, { now }), runPurchaseRecovery(db, { now })]);
    expect((a.outcomes.activated ?? 0) + (b.outcomes.activated ?? 0)).toBe(1);
    expect(await statusOf(purchase.id)).toBe("active");
    expect(discountsWithCode(purchase.code)).toHaveLength(1);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("Shopify down: leaves it pending for the next run, which finishes it", async () => {
    const purchase = await interrupted();
    shopify.simulator.setFault("down");
    await runPurchaseRecovery(db, { now: later() });
    expect(await statusOf(purchase.id)).toBe("pending");
    shopify.simulator.setFault("up");
    // The failed try touched the row: the next run waits for a new grace period.
    await runPurchaseRecovery(db, { now: later() });
    expect(await statusOf(purchase.id)).toBe("active");
  });

  it("skips uninstalled shops", async () => {
    const shop = await freshShop(db, "recovery-gone");
    const purchase = await interrupted(shop.id);
    await uninstall(db, shop.id);
    await runPurchaseRecovery(db, { now: later() });
    expect(await statusOf(purchase.id)).toBe("pending");
  });
});
