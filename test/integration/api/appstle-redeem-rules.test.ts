import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";

import { apiRequest } from "../../helpers/api";
import { createKey, createReward, createTier, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const RULES = "app/routes/api.external.point-redeem-rules.tsx";
const PATH = "/api/external/point-redeem-rules";
let shopId: string;
let key: string;
let readKey: string;
let emptyShopKey: string;

const getRules = (options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("loader", RULES, apiRequest("GET", PATH, { key, header: "x-api-key", ...options }));

type Rule = Record<string, unknown> & { id: string; name: string };

describe("GET /api/external/point-redeem-rules", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    const emptyShopId = (await installShop(db, { shop: "empty-rules.myshopify.com" })).id;
    emptyShopKey = await createKey(db, emptyShopId, "read");
    // Another shop's reward must never show up.
    await createReward(db, emptyShopId, { name: "Other shop's reward", isActive: false });
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("GIVEN rewards of every type, an inactive and a deleted one WHEN listed THEN each active reward is an Appstle redeem rule", async () => {
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
    const fixed = await createReward(db, shopId, {
      name: "5 € off",
      description: "Five euros off your next order",
      pointsCostCenti: pts(500),
      discountAmountMinor: 500n,
      minimumSpendMinor: 2_550n,
      expiryDays: 30,
      maxRedemptions: 2,
      vipTierId: gold.id,
      combinesWithShipping: true,
    });
    const percentage = await createReward(db, shopId, {
      name: "12.5% off",
      discountType: "percentage",
      discountAmountMinor: null,
      discountPercentBp: 1_250,
      pointsCostCenti: pts(800.5),
    });
    const shipping = await createReward(db, shopId, {
      name: "Free shipping",
      discountType: "free_shipping",
      discountAmountMinor: null,
    });
    const product = await createReward(db, shopId, {
      name: "Free mug",
      discountType: "free_product",
      discountAmountMinor: null,
      freeProductVariantId: "gid://shopify/ProductVariant/42",
    });
    const credit = await createReward(db, shopId, { name: "Store credit", discountType: "store_credit" });
    const variable = await createReward(db, shopId, {
      name: "Points to cash",
      isVariable: true,
      pointsCostCenti: null,
      discountAmountMinor: null,
      pointsPerUnitCenti: pts(100),
      minPointsCenti: pts(200),
      maxPointsCenti: pts(5000),
    });
    await createReward(db, shopId, { name: "Switched off", isActive: false });
    await createReward(db, shopId, { name: "Deleted", deletedAt: new Date() });

    const response = await getRules({ key: readKey });
    expect(response.status).toBe(200);
    const rules = (await response.json()) as Rule[];
    expect(rules.map((rule) => rule.name).sort()).toEqual(
      ["5 € off", "12.5% off", "Free shipping", "Free mug", "Store credit", "Points to cash"].sort(),
    );
    const byId = Object.fromEntries(rules.map((rule) => [rule.id, rule]));
    expect(byId[fixed.id]).toEqual({
      id: fixed.id,
      name: "5 € off",
      description: "Five euros off your next order",
      rewardType: "DISCOUNT_CODE",
      discountType: "FIXED",
      discountValue: 5,
      currencyCode: "USD",
      variable: false,
      pointsRequired: 500,
      pointsPerCurrencyUnit: null,
      minPoints: null,
      maxPoints: null,
      minimumSpend: 25.5,
      expiryDays: 30,
      vipTierId: gold.id,
      vipTierName: "Gold",
      maxRedemptions: 2,
      freeProductVariantId: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    });
    expect(byId[percentage.id]).toMatchObject({
      rewardType: "DISCOUNT_CODE",
      discountType: "PERCENTAGE",
      discountValue: 12.5,
      pointsRequired: 800.5,
      minimumSpend: null,
      vipTierId: null,
    });
    expect(byId[shipping.id]).toMatchObject({ rewardType: "FREE_SHIPPING", discountType: null, discountValue: null });
    expect(byId[product.id]).toMatchObject({
      rewardType: "FREE_PRODUCT",
      discountType: null,
      freeProductVariantId: "gid://shopify/ProductVariant/42",
    });
    expect(byId[credit.id]).toMatchObject({ rewardType: "STORE_CREDIT", discountType: "FIXED", discountValue: 5 });
    expect(byId[variable.id]).toMatchObject({
      variable: true,
      pointsRequired: null,
      pointsPerCurrencyUnit: 100,
      minPoints: 200,
      maxPoints: 5000,
    });
  });

  it("GIVEN a shop with no active rewards THEN 200 with an empty list (never another shop's rewards)", async () => {
    const response = await getRules({ key: emptyShopKey });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it("GIVEN no key or a bad key THEN 401 in Appstle's format", async () => {
    for (const bad of [null, "pw_nope"]) {
      const response = await getRules({ key: bad });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ status: 401, error: "Unauthorized", path: PATH });
    }
  });

  it("GIVEN a POST THEN 405 with Allow: GET", async () => {
    const response = await callRoute("action", RULES, apiRequest("POST", PATH, { key, header: "x-api-key", body: {} }));
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET");
    expect(await response.json()).toMatchObject({ status: 405, path: PATH });
  });
});
