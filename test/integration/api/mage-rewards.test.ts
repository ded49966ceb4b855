import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const LIST = "app/routes/api.v1.rewards.tsx";
const ONE = "app/routes/api.v1.rewards.$id.tsx";
const PURCHASE = "app/routes/api.v1.rewards.$id.purchase.tsx";
let shopId: string;
let key: string;
let readKey: string;

type Options = Parameters<typeof apiRequest>[2];
type Resource = { type: string; id: string; attributes: Record<string, unknown> };

const list = (query = "", options: Options = {}) =>
  callRoute("loader", LIST, apiRequest("GET", `/api/v1/rewards${query}`, { key, ...options }));
const create = (body: unknown, options: Options = {}) =>
  callRoute("action", LIST, apiRequest("POST", "/api/v1/rewards", { key, body, ...options }));
const one = (method: string, id: string, body?: unknown, options: Options = {}) =>
  callRoute(
    method === "GET" ? "loader" : "action",
    ONE,
    apiRequest(method, `/api/v1/rewards/${encodeURIComponent(id)}`, { key, body, ...options }),
    { id },
  );
const detailOf = async (response: Response) =>
  ((await response.json()) as { errors: { detail: string }[] }).errors[0]?.detail ?? "";
const attributesOf = async (response: Response) => ((await response.json()) as { data: Resource }).data.attributes;
const fixed = (overrides: Record<string, unknown> = {}) => ({
  name: "£5 off your next order",
  discount_type: "fixed_amount",
  points_cost: 500,
  discount_amount: 5,
  ...overrides,
});

describe("/api/v1/rewards (Mage catalogue, issue 4)", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId, "full");
    readKey = await createKey(db, shopId, "read");
  });

  describe("POST", () => {
    it("GIVEN a JSON:API fixed-amount reward THEN 201 with every attribute, money exact, and an activity line", async () => {
      const gold = await createTier(db, shopId, { name: "Gold (rewards)", threshold: pts(5000) });
      const response = await create({
        data: {
          type: "reward",
          attributes: fixed({
            discount_amount: 5.5,
            minimum_spend: 20.05,
            max_redemptions: 2,
            expiry_days: 30,
            vip_tier_id: gold.id,
            combines_with: { shipping: true },
            description: "Five pounds fifty",
          }),
        },
      });
      expect(response.status).toBe(201);
      const { data } = (await response.json()) as { data: Resource };
      expect(response.headers.get("Location")).toBe(`/api/v1/rewards/${data.id}`);
      expect(data).toMatchObject({ type: "reward" });
      expect(data.attributes).toMatchObject({
        name: "£5 off your next order",
        description: "Five pounds fifty",
        discount_type: "fixed_amount",
        reward_type: "fixed",
        points_cost: 500,
        discount_amount: 5.5,
        currency_code: "USD",
        minimum_spend: 20.05,
        is_active: true,
        max_redemptions: 2,
        expiry_days: 30,
        vip_tier_id: gold.id,
        free_product_variant_id: null,
        combines_with: { order: false, product: false, shipping: true },
        points_per_currency_unit: null,
        min_points: null,
        max_points: null,
      });
      expect(await db.reward.findUniqueOrThrow({ where: { id: data.id } })).toMatchObject({
        pointsCostCenti: 50_000n,
        discountAmountMinor: 550n,
        minimumSpendMinor: 2005n,
        discountPercentBp: null,
      });
      const activity = await db.activityLog.findFirstOrThrow({
        where: { shopId, type: "reward_created", data: { contains: data.id } },
      });
      expect(activity.actor).toBe(`api:${key.slice(0, 12)}`);
    });

    it("percentage, free shipping, free product (variant id as a gid) and variable store credit", async () => {
      const percent = await attributesOf(
        await create(fixed({ name: "12.5%", discount_type: "percentage", discount_amount: 12.5 })),
      );
      expect(percent).toMatchObject({ discount_type: "percentage", discount_amount: 12.5 });
      const shipping = await attributesOf(
        await create(fixed({ name: "Ship", discount_type: "free_shipping", discount_amount: undefined })),
      );
      expect(shipping).toMatchObject({ discount_type: "free_shipping", discount_amount: null });
      const product = await attributesOf(
        await create(
          fixed({
            name: "Mug",
            discount_type: "free_product",
            discount_amount: undefined,
            free_product_variant_id: 4242,
          }),
        ),
      );
      expect(product.free_product_variant_id).toBe("gid://shopify/ProductVariant/4242");
      const variable = await create({
        name: "Credit",
        discount_type: "store_credit",
        reward_type: "variable",
        points_per_currency_unit: 100,
        min_points: 100,
        max_points: 1000,
      });
      expect(variable.status).toBe(201);
      expect(await attributesOf(variable)).toMatchObject({
        reward_type: "variable",
        points_cost: null,
        discount_amount: null,
        points_per_currency_unit: 100,
        min_points: 100,
        max_points: 1000,
      });
    });

    it("GIVEN a yen shop THEN money takes no decimals", async () => {
      const yen = await installShop(db, { shop: "rewards-yen.myshopify.com" });
      await db.shop.update({ where: { id: yen.id }, data: { currencyCode: "JPY" } });
      const yenKey = await createKey(db, yen.id);
      const made = await create(fixed({ discount_amount: 500 }), { key: yenKey });
      expect(await attributesOf(made)).toMatchObject({ discount_amount: 500, currency_code: "JPY" });
      const refused = await create(fixed({ discount_amount: 500.5 }), { key: yenKey });
      expect(refused.status).toBe(400);
      expect(await detailOf(refused)).toMatch(/discount_amount: must be an amount of JPY with at most 0 decimals/);
    });

    it.each([
      ["no body", undefined, /name: is required; discount_type: is required/],
      ["points as a string", fixed({ points_cost: "500" }), /points_cost: must be a number, not a string/],
      ["zero points", fixed({ points_cost: 0 }), /points_cost: must be above 0/],
      ["over-precise points", fixed({ points_cost: 0.001 }), /points_cost: .*at most 2 decimals/],
      ["no points cost", fixed({ points_cost: undefined }), /points_cost: is required for fixed rewards/],
      ["negative money", fixed({ discount_amount: -5 }), /discount_amount: must be at least 0/],
      ["zero money", fixed({ discount_amount: 0 }), /discount_amount: must be above 0 for a fixed_amount reward/],
      [
        "over-precise money",
        fixed({ discount_amount: 5.555 }),
        /discount_amount: must be an amount of USD with at most 2 decimals/,
      ],
      ["money as a string", fixed({ minimum_spend: "20" }), /minimum_spend: must be a number/],
      [
        "a missing amount",
        fixed({ discount_amount: undefined }),
        /discount_amount: is required for fixed_amount rewards/,
      ],
      [
        "a zero percentage",
        fixed({ discount_type: "percentage", discount_amount: 0 }),
        /discount_amount: must be a percentage above 0 and at most 100/,
      ],
      [
        "a percentage over 100",
        fixed({ discount_type: "percentage", discount_amount: 100.01 }),
        /discount_amount: must be a percentage above 0 and at most 100/,
      ],
      [
        "an amount on free shipping",
        fixed({ discount_type: "free_shipping" }),
        /discount_amount: free_shipping rewards take no discount_amount/,
      ],
      [
        "a free product without a variant",
        fixed({ discount_type: "free_product", discount_amount: undefined }),
        /free_product_variant_id: is required/,
      ],
      [
        "a bad variant id",
        fixed({ discount_type: "free_product", discount_amount: undefined, free_product_variant_id: "abc" }),
        /free_product_variant_id: must be a Shopify product variant id/,
      ],
      [
        "an unknown discount type",
        fixed({ discount_type: "bogo" }),
        /discount_type: must be one of fixed_amount, percentage, free_shipping, free_product, store_credit/,
      ],
      [
        "a variable percentage",
        {
          name: "V",
          discount_type: "percentage",
          reward_type: "variable",
          points_per_currency_unit: 10,
          discount_amount: 5,
        },
        /reward_type: variable rewards must be fixed_amount or store_credit/,
      ],
      [
        "a variable reward without a rate",
        { name: "V", discount_type: "fixed_amount", reward_type: "variable" },
        /points_per_currency_unit: is required for variable rewards/,
      ],
      [
        "min above max",
        {
          name: "V",
          discount_type: "fixed_amount",
          reward_type: "variable",
          points_per_currency_unit: 10,
          min_points: 50,
          max_points: 20,
        },
        /min_points: must not be above max_points/,
      ],
      ["variable fields on a fixed reward", fixed({ min_points: 10 }), /min_points: only variable rewards take it/],
      ["a zero max_redemptions", fixed({ max_redemptions: 0 }), /max_redemptions: must be a whole number from 1/],
      [
        "an unknown tier",
        fixed({ vip_tier_id: "no-such-tier" }),
        /vip_tier_id: this shop has no VIP tier no-such-tier/,
      ],
      [
        "combines_with with an unknown member",
        fixed({ combines_with: { everything: true } }),
        /combines_with: has an unknown member "everything"/,
      ],
      ["unknown attributes", fixed({ cost: 5 }), /unknown attribute "cost"/],
      ["a wrong JSON:API type", { data: { type: "earning_rule", attributes: fixed() } }, /data.type: must be "reward"/],
    ])("400 for %s, naming it, and nothing written", async (_case, body, message) => {
      const [rewards, activities] = await Promise.all([db.reward.count(), db.activityLog.count()]);
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(await detailOf(response)).toMatch(message);
      expect(await db.reward.count()).toBe(rewards);
      expect(await db.activityLog.count()).toBe(activities);
    });

    it("400 for another shop's tier; 403 with a read-only key; 401 without a key", async () => {
      const other = await installShop(db, { shop: "rewards-tier.myshopify.com" });
      const foreignTier = await createTier(db, other.id, { name: "Foreign", threshold: 1n });
      const before = await db.reward.count();
      expect((await create(fixed({ vip_tier_id: foreignTier.id }))).status).toBe(400);
      expect((await create(fixed(), { key: readKey })).status).toBe(403);
      expect((await create(fixed(), { key: null })).status).toBe(401);
      expect(await db.reward.count()).toBe(before);
    });
  });

  describe("GET", () => {
    it("lists the shop's live rewards, paged, filtered and sorted", async () => {
      const shop = await installShop(db, { shop: "rewards-list.myshopify.com" });
      const listKey = await createKey(db, shop.id);
      const a = await createReward(db, shop.id, { name: "A", pointsCostCenti: pts(300) });
      const b = await createReward(db, shop.id, { name: "B", pointsCostCenti: pts(100), isActive: false });
      const c = await createReward(db, shop.id, {
        name: "C",
        pointsCostCenti: pts(200),
        discountType: "percentage",
        discountAmountMinor: null,
        discountPercentBp: 1000,
      });
      await createReward(db, shop.id, { name: "Gone", deletedAt: new Date() });
      const get = async (query: string) => {
        const response = await list(query, { key: listKey });
        expect(response.status).toBe(200);
        return (await response.json()) as { data: Resource[]; meta: Record<string, number> };
      };
      const all = await get("");
      expect(all.data.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
      expect(all.meta.total).toBe(3);
      expect(all.data[2]?.attributes.discount_amount).toBe(10);
      expect((await get("?sort=-points_cost")).data.map((r) => r.attributes.name)).toEqual(["A", "C", "B"]);
      expect((await get("?filter[is_active]=false")).data.map((r) => r.id)).toEqual([b.id]);
      expect((await get("?filter[discount_type]=percentage")).data.map((r) => r.id)).toEqual([c.id]);
      expect((await get("?page[size]=1&page[number]=3")).data.map((r) => r.id)).toEqual([c.id]);
      const bad = await list("?filter[discount_type]=bogo");
      expect(bad.status).toBe(400);
      expect(await detailOf(bad)).toMatch(/filter\[discount_type\]: must be one of fixed_amount/);
    });

    it("one reward; 404 for an unknown, foreign or deleted one", async () => {
      const reward = await createReward(db, shopId, { name: "Seen" });
      expect(await attributesOf(await one("GET", reward.id, undefined, { key: readKey }))).toMatchObject({
        name: "Seen",
        points_cost: 500,
        discount_amount: 5,
      });
      const other = await installShop(db, { shop: "rewards-foreign.myshopify.com" });
      const foreign = await createReward(db, other.id);
      const deleted = await createReward(db, shopId, { deletedAt: new Date() });
      for (const id of ["nope", foreign.id, deleted.id]) expect((await one("GET", id)).status).toBe(404);
    });
  });

  describe("PUT", () => {
    it("changes only what is given; a new discount type in other units needs a new amount", async () => {
      const reward = await createReward(db, shopId, { name: "Editable", description: "keep" });
      const changed = await one("PUT", reward.id, { points_cost: 450.5, combines_with: { order: true } });
      expect(changed.status).toBe(200);
      expect(await attributesOf(changed)).toMatchObject({
        name: "Editable",
        description: "keep",
        points_cost: 450.5,
        discount_amount: 5,
        combines_with: { order: true, product: false, shipping: false },
      });
      const refused = await one("PUT", reward.id, { discount_type: "percentage" });
      expect(refused.status).toBe(400);
      expect(await detailOf(refused)).toMatch(/discount_amount: is required for percentage rewards/);
      const percent = await one("PUT", reward.id, {
        data: { type: "reward", id: reward.id, attributes: { discount_type: "percentage", discount_amount: 15 } },
      });
      expect(await attributesOf(percent)).toMatchObject({ discount_type: "percentage", discount_amount: 15 });
      expect(await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).toMatchObject({
        discountPercentBp: 1500,
        discountAmountMinor: null,
      });
      const activity = await db.activityLog.findFirstOrThrow({
        where: { shopId, type: "reward_updated", data: { contains: reward.id } },
      });
      expect(activity.message).toBe('Reward "Editable" updated (points_cost, combines_with)');
    });

    it("400 leaves it unchanged; 404 for foreign or deleted; 403 read-only", async () => {
      const reward = await createReward(db, shopId);
      const bad = await one("PUT", reward.id, { points_cost: -1 });
      expect(bad.status).toBe(400);
      expect(await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).toEqual(reward);
      const other = await installShop(db, { shop: "rewards-put.myshopify.com" });
      const foreign = await createReward(db, other.id);
      const deleted = await createReward(db, shopId, { deletedAt: new Date() });
      for (const id of [foreign.id, deleted.id]) expect((await one("PUT", id, { name: "x" })).status).toBe(404);
      expect((await one("PUT", reward.id, { name: "x" }, { key: readKey })).status).toBe(403);
      expect((await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).name).toBe(reward.name);
    });
  });

  describe("DELETE", () => {
    it("soft-deletes: 204; then 404, gone from the list, purchase answers 404, and bought rewards keep their history", async () => {
      const customer = shopify.state.addCustomer(shopify.shop, { email: `reward-del${Date.now()}@example.com` });
      const shopifyId = customer.id.split("/").at(-1) ?? "";
      const member = await createMember(db, shopId, { shopifyCustomerId: shopifyId, email: customer.email ?? "" });
      await adjustPoints(db, { shopId, identifier: shopifyId, deltaCenti: pts(2000), actor: "test" });
      const reward = await createReward(db, shopId, { name: "Soon gone", pointsCostCenti: pts(100) });
      const buy = () =>
        callRoute(
          "action",
          PURCHASE,
          apiRequest("POST", `/api/v1/rewards/${reward.id}/purchase`, {
            key,
            body: { customer_identifier: shopifyId },
          }),
          { id: reward.id },
        );
      expect((await buy()).status).toBe(201);
      expect((await one("DELETE", reward.id)).status).toBe(204);
      expect((await one("GET", reward.id)).status).toBe(404);
      expect((await one("DELETE", reward.id)).status).toBe(404);
      const listed = (await (await list("?page[size]=100")).json()) as { data: Resource[] };
      expect(listed.data.map((r) => r.id)).not.toContain(reward.id);
      expect((await buy()).status).toBe(404);
      expect(await db.customerReward.count({ where: { memberId: member.id, rewardId: reward.id } })).toBe(1);
      expect(
        await db.activityLog.count({ where: { shopId, type: "reward_deleted", data: { contains: reward.id } } }),
      ).toBe(1);
    });

    it("404 for another shop's reward, untouched; 403 with a read-only key", async () => {
      const other = await installShop(db, { shop: "rewards-delete.myshopify.com" });
      const foreign = await createReward(db, other.id);
      expect((await one("DELETE", foreign.id)).status).toBe(404);
      expect((await db.reward.findUniqueOrThrow({ where: { id: foreign.id } })).deletedAt).toBeNull();
      const reward = await createReward(db, shopId);
      expect((await one("DELETE", reward.id, undefined, { key: readKey })).status).toBe(403);
      expect((await db.reward.findUniqueOrThrow({ where: { id: reward.id } })).deletedAt).toBeNull();
    });
  });
});
