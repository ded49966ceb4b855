import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { earningHistoryEntry } from "~/modules/api/mage";
import { adjustPoints, awardEarningRule, earnForOrder, purchaseReward } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import {
  createEarningRule,
  createKey,
  createMember,
  createReward,
  createTier,
  installShop,
} from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const EARNING = "app/routes/api.v1.customers.$identifier.earning-history.tsx";
const REWARDS = "app/routes/api.v1.customers.$identifier.reward-history.tsx";
let shopId: string;
let key: string;

async function unlimitedKey(shop: string, scope: "full" | "read") {
  const secret = await createKey(db, shop, scope);
  return secret;
}

const history = (route: string, name: string, identifier: string, query = "", options: { key?: string | null } = {}) =>
  callRoute(
    "loader",
    route,
    apiRequest("GET", `/api/v1/customers/${encodeURIComponent(identifier)}/${name}${query ? `?${query}` : ""}`, {
      key: options.key === undefined ? key : options.key,
    }),
    { identifier },
  );
const earning = (identifier: string, query = "", options: { key?: string | null } = {}) =>
  history(EARNING, "earning-history", identifier, query, options);
const rewards = (identifier: string, query = "", options: { key?: string | null } = {}) =>
  history(REWARDS, "reward-history", identifier, query, options);

type Resource = { type: string; id: string; attributes: Record<string, unknown> };
type Collection = { data: Resource[]; meta: { total: number; page: number; per_page: number; total_pages: number } };

const read = async (response: Promise<Response>) => {
  const answered = await response;
  expect(answered.status).toBe(200);
  return (await answered.json()) as Collection;
};
const errorOf = async (response: Response) =>
  ((await response.json()) as { errors: { status: string; detail: string }[] }).errors[0];

describe("GET /api/v1/customers/{identifier}/earning-history", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await unlimitedKey(shopId, "read");
  });

  it("one entry per lot, newest first: rule (with VIP multiplier), order, manual adjustment, pending", async () => {
    const member = await createMember(db, shopId);
    const identifier = member.shopifyCustomerId ?? "";
    const silver = await createTier(db, shopId, {
      name: "Silver (history)",
      threshold: pts(999_999),
      multiplierBp: 15_000,
    });
    await db.customer.update({ where: { id: member.id }, data: { vipTierId: silver.id } });
    const social = await createEarningRule(db, shopId, { pointsCenti: pts(100), action: "follow_on_instagram" });
    const purchase = await createEarningRule(db, shopId, {
      category: "purchase",
      action: "place_order",
      pointsPerUnitCenti: pts(1),
      pointsCenti: 0n,
      approvalDays: 14,
    });
    const t = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 12, minutes));
    const awarded = await awardEarningRule(db, { shopId, ruleId: social.id, identifier, actor: "test", at: t(1) });
    await earnForOrder(db, {
      shopId,
      memberId: member.id,
      shopifyOrderId: "5550001",
      orderNumber: "#1001",
      currency: "EUR",
      subtotalMinor: 4_000n,
      shippingMinor: 0n,
      taxMinor: 0n,
      discountsMinor: 0n,
      actor: "test",
      at: t(2),
    });
    await adjustPoints(db, { shopId, identifier, deltaCenti: pts(12.5), source: "api", actor: "test", at: t(3) });
    await db.earningRule.update({ where: { id: purchase.id }, data: { isActive: false } });

    const page = await read(earning(identifier));
    expect(page.meta).toEqual({ total: 3, page: 1, per_page: 20, total_pages: 1 });
    const [manual, order, rule] = page.data;
    expect(manual).toMatchObject({
      type: "earning_history_entry",
      attributes: {
        earning_rule_id: null,
        action: "manual_adjustment",
        points: 12.5,
        base_points: 12.5,
        points_multiplier: 1,
        status: "approved",
        order_id: null,
        order_number: null,
        shopify_date: null,
        manual_intervention: true,
        created_at: t(3).toISOString(),
      },
    });
    expect(order).toMatchObject({
      attributes: {
        earning_rule_id: purchase.id,
        action: "place_order",
        // The award recalculated the tier (lifetime 150 is below Silver's threshold): ×1 from then on.
        points: 40,
        base_points: 40,
        points_multiplier: 1,
        status: "pending",
        order_id: "5550001",
        order_number: "#1001",
        points_given_at: null,
        points_due_at: new Date(t(2).getTime() + 14 * 86_400_000).toISOString(),
        manual_intervention: false,
      },
    });
    expect(order?.attributes.shopify_date).toEqual(expect.any(String));
    // The award's seed fields and values are exactly what the award endpoint answered.
    const seedShape = earningHistoryEntry(awarded);
    expect(rule).toEqual({
      ...seedShape,
      attributes: { ...seedShape.attributes, order_number: null, shopify_date: null, manual_intervention: false },
    });
    expect(rule?.attributes).toMatchObject({ action: "follow_on_instagram", points: 150, base_points: 100 });
  });

  it("filter[status], sort and paging", async () => {
    const member = await createMember(db, shopId);
    const identifier = member.shopifyCustomerId ?? "";
    for (const [i, points] of [5, 30, 20].entries())
      await adjustPoints(db, {
        shopId,
        identifier,
        deltaCenti: pts(points),
        actor: "test",
        at: new Date(Date.UTC(2026, 0, 1 + i)),
      });
    const lots = await db.lot.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" } });
    await db.lot.update({ where: { id: lots[0]?.id ?? "" }, data: { status: "expired" } });
    const points = (collection: Collection) => collection.data.map((entry) => entry.attributes.points);
    expect(points(await read(earning(identifier)))).toEqual([20, 30, 5]);
    expect(points(await read(earning(identifier, "sort=created_at")))).toEqual([5, 30, 20]);
    expect(points(await read(earning(identifier, "sort=-points")))).toEqual([30, 20, 5]);
    expect(points(await read(earning(identifier, "filter[status]=expired")))).toEqual([5]);
    expect(points(await read(earning(identifier, "filter[status]=approved")))).toEqual([20, 30]);
    expect((await read(earning(identifier, "filter[status]=pending"))).meta.total).toBe(0);
    const second = await read(earning(identifier, "page[size]=2&page[number]=2"));
    expect(points(second)).toEqual([5]);
    expect(second.meta).toEqual({ total: 3, page: 2, per_page: 2, total_pages: 2 });
  });

  it.each([
    ["filter[status]=done", /^filter\[status\]: must be one of pending, approved, rejected, expired/],
    ["sort=note", /^sort: cannot sort by "note"/],
    ["page[size]=0", /^page\[size\]/],
  ])("400 naming the parameter for %s", async (query, detail) => {
    const member = await createMember(db, shopId);
    const response = await earning(member.shopifyCustomerId ?? "", query);
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toMatch(detail);
  });

  it("404 for an unknown customer or another shop's; 401 without a key", async () => {
    const other = (await installShop(db, { shop: "history-other.myshopify.com" })).id;
    const foreign = await createMember(db, other);
    await adjustPoints(db, {
      shopId: other,
      identifier: foreign.shopifyCustomerId ?? "",
      deltaCenti: pts(1),
      actor: "test",
    });
    expect((await earning(foreign.shopifyCustomerId ?? "")).status).toBe(404);
    expect((await earning("ghost@example.com")).status).toBe(404);
    expect((await earning("1", "", { key: null })).status).toBe(401);
  });
});

describe("GET /api/v1/customers/{identifier}/reward-history", () => {
  it("the member's purchased rewards as reward_history_entry, newest first, with filter[status]", async () => {
    const member = await createMember(db, shopId);
    const identifier = member.shopifyCustomerId ?? "";
    await adjustPoints(db, { shopId, identifier, deltaCenti: pts(1_000), actor: "test" });
    const reward = await createReward(db, shopId, { name: "£5 off", pointsCostCenti: pts(100), expiryDays: 30 });
    const buy = async (day: number, status = "active") =>
      purchaseReward(db, {
        shopId,
        rewardId: reward.id,
        identifier,
        discountCode: `PW-HIST${day}${member.id.slice(-6)}`,
        initialStatus: status as "active" | "pending",
        actor: "test",
        at: new Date(Date.UTC(2099, 0, day)),
      });
    const active = await buy(1);
    const used = await buy(2);
    const expired = await buy(3);
    const lapsed = await buy(4);
    const refunded = await buy(5);
    const reserved = await buy(6, "pending");
    await db.customerReward.update({
      where: { id: used.id },
      data: { status: "used", usedAt: new Date(Date.UTC(2099, 0, 10)) },
    });
    await db.customerReward.update({ where: { id: expired.id }, data: { status: "expired" } });
    // Past its expiry date, though no job has marked it yet.
    await db.customerReward.update({ where: { id: lapsed.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await db.customerReward.update({
      where: { id: refunded.id },
      data: { status: "refunded", refundedAt: new Date() },
    });

    const all = await read(rewards(identifier));
    expect(all.data.map((entry) => entry.id)).toEqual([refunded.id, lapsed.id, expired.id, used.id, active.id]);
    expect(all.data.map((entry) => entry.id)).not.toContain(reserved.id);
    expect(all.data[4]).toEqual({
      type: "reward_history_entry",
      id: active.id,
      attributes: {
        reward_id: reward.id,
        reward_name: "£5 off",
        reward_discount_type: "fixed_amount",
        points_spent: 100,
        discount_code: active.discountCode,
        status: "active",
        is_refunded: false,
        discount_code_redeemed_at: null,
        redeemed_at: null,
        expires_at: active.expiresAt?.toISOString(),
        created_at: new Date(Date.UTC(2099, 0, 1)).toISOString(),
        updated_at: expect.any(String),
      },
    });
    expect(all.data.map((entry) => [entry.attributes.status, entry.attributes.is_refunded])).toEqual([
      ["active", true],
      ["expired", false],
      ["expired", false],
      ["used", false],
      ["active", false],
    ]);
    expect(all.data[3]?.attributes.redeemed_at).toBe(new Date(Date.UTC(2099, 0, 10)).toISOString());
    const ids = async (query: string) => (await read(rewards(identifier, query))).data.map((entry) => entry.id);
    expect(await ids("filter[status]=active")).toEqual([refunded.id, active.id]);
    expect(await ids("filter[status]=used")).toEqual([used.id]);
    expect(await ids("filter[status]=expired")).toEqual([lapsed.id, expired.id]);
    expect(await ids("sort=created_at&page[size]=2")).toEqual([active.id, used.id]);
    const last = await read(rewards(identifier, "sort=created_at&page[size]=2&page[number]=3"));
    expect(last.meta).toEqual({ total: 5, page: 3, per_page: 2, total_pages: 3 });
  });

  it("400 for a bad filter; 404 for another shop's customer; 401 without a key", async () => {
    const member = await createMember(db, shopId);
    const response = await rewards(member.shopifyCustomerId ?? "", "filter[status]=refunded");
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toBe("filter[status]: must be one of active, used, expired");
    const other = (await installShop(db, { shop: "rewards-other.myshopify.com" })).id;
    const foreign = await createMember(db, other);
    expect((await rewards(foreign.shopifyCustomerId ?? "")).status).toBe(404);
    expect((await rewards(member.shopifyCustomerId ?? "", "", { key: null })).status).toBe(401);
  });
});
