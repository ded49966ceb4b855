import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const REDEEM = "app/routes/api.external.redeem-points.tsx";
const PATH = "/api/external/redeem-points";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

const redeem = (body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("action", REDEEM, apiRequest("POST", PATH, { key, header: "x-api-key", body, ...options }));

const writes = async () => ({
  entries: await db.ledgerEntry.count(),
  rewards: await db.customerReward.count(),
  discounts: shopify.state.listDiscounts(shopify.shop).length,
});

async function expectProblem(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path: PATH });
  if (message) expect(body.message).toMatch(message);
}

async function shopper(points: number) {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `r${Math.random()}@example.com` });
  const id = customer.id.split("/").at(-1) ?? "";
  const member = await createMember(db, shopId, { shopifyCustomerId: id, email: customer.email ?? "" });
  await adjustPoints(db, { shopId, identifier: id, deltaCenti: pts(points), actor: "test" });
  return { member, id: Number(id) };
}

describe("POST /api/external/redeem-points", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    otherShopId = (await installShop(db, { shop: "other-redeem.myshopify.com" })).id;
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("spends points on a variable reward and answers the loyalty object with the new code", async () => {
    const { id } = await shopper(1000);
    const variable = await createReward(db, shopId, {
      isVariable: true,
      pointsCostCenti: null,
      pointsPerUnitCenti: pts(100),
      minPointsCenti: pts(100),
    });
    const response = await redeem({ redeemRuleId: variable.id, customerId: id, points: 300 });
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as {
      availablePoints: number;
      spentAmount: number;
      rewards: { discountCode: string; status: string }[];
    };
    expect(loyalty).toMatchObject({ availablePoints: 700, spentAmount: 300 });
    expect(loyalty.rewards[0]?.status).toBe("ACTIVE");
    expect(shopify.state.findDiscountByCode(shopify.shop, loyalty.rewards[0]?.discountCode ?? "")).toBeDefined();
  });

  it("GIVEN a fixed reward named by the customer's email in another case THEN the reward shows its kind, and the body's points are ignored", async () => {
    const { member } = await shopper(1000);
    const percent = await createReward(db, shopId, {
      name: "10% off",
      discountType: "percentage",
      discountAmountMinor: null,
      discountPercentBp: 1000,
      pointsCostCenti: pts(250),
    });
    const response = await redeem({
      redeemRuleId: ` ${percent.id} `,
      customerEmail: (member.email ?? "").toUpperCase(),
      customerId: null,
      points: 5,
      variantId: null,
    });
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as { availablePoints: number; rewards: Record<string, unknown>[] };
    expect(loyalty.availablePoints).toBe(750);
    expect(loyalty.rewards).toEqual([
      expect.objectContaining({
        rewardId: percent.id,
        name: "10% off",
        rewardType: "DISCOUNT_CODE",
        discountType: "PERCENTAGE",
        pointsSpent: 250,
        status: "ACTIVE",
      }),
    ]);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it.each([
    ["no redeemRuleId", { customerId: 1 }, /redeemRuleId/],
    ["an empty redeemRuleId", { redeemRuleId: "  ", customerId: 1 }, /redeemRuleId/],
    ["a redeemRuleId that is true", { redeemRuleId: true, customerId: 1 }, /redeemRuleId/],
    ["a redeemRuleId with a control character", { redeemRuleId: "a\u001bb", customerId: 1 }, /redeemRuleId/],
    ["a redeemRuleId over 100 characters", { redeemRuleId: "x".repeat(101), customerId: 1 }, /redeemRuleId/],
    ["a fractional redeemRuleId", { redeemRuleId: 1.5, customerId: 1 }, /redeemRuleId/],
    ["points as a string", { redeemRuleId: "x", customerId: 1, points: "300" }, /points: must be a number/],
    ["zero points", { redeemRuleId: "x", customerId: 1, points: 0 }, /points: must be at least 0.01/],
    ["negative points", { redeemRuleId: "x", customerId: 1, points: -300 }, /points: must be at least 0.01/],
    ["over-precise points", { redeemRuleId: "x", customerId: 1, points: 300.001 }, /points: .*decimal/],
    ["huge points", { redeemRuleId: "x", customerId: 1, points: 1e300 }, /points/],
    ["both customer fields", { redeemRuleId: "x", customerId: 1, customerEmail: "a@example.com" }, /exactly one/],
    ["no customer", { redeemRuleId: "x" }, /customerId: give exactly one/],
    ["a fractional customerId", { redeemRuleId: "x", customerId: 1.5 }, /customerId/],
    ["a customerId beyond 2^53", { redeemRuleId: "x", customerId: 1e30 }, /customerId/],
    ["an injection string as customerId", { redeemRuleId: "x", customerId: "1 OR 1=1" }, /customerId/],
    ["a unicode email", { redeemRuleId: "x", customerEmail: "jöhn@exämple.com" }, /customerEmail/],
    ["a variantId that is an object", { redeemRuleId: "x", customerId: 1, variantId: { id: 1 } }, /variantId/],
    ["an array body", [{ redeemRuleId: "x", customerId: 1 }], /JSON object/],
  ])("GIVEN %s THEN 400 naming the field, and nothing written", async (_case, body, message) => {
    const before = await writes();
    await expectProblem(await redeem(body), 400, message);
    expect(await writes()).toEqual(before);
  });

  it.each([
    ["invalid JSON", "{redeemRuleId: 1"],
    ["NaN points", '{"redeemRuleId": "x", "customerId": 1, "points": NaN}'],
  ])("GIVEN %s as the body THEN 400 and nothing written", async (_case, rawBody) => {
    const before = await writes();
    await expectProblem(await redeem(undefined, { rawBody }), 400, /JSON/);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN no key, a bad key or a read-only key THEN 401 / 401 / 403 and nothing written", async () => {
    const { id } = await shopper(1000);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
    const before = await writes();
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerId: id }, { key: null }), 401);
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerId: id }, { key: "pw_nope" }), 401);
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerId: id }, { key: readKey }), 403, /read-only/);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN an unknown customer, another shop's customer or another shop's rule, or an injection string as the rule THEN 404 and nothing written", async () => {
    const { id } = await shopper(1000);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
    const foreignReward = await createReward(db, otherShopId, { pointsCostCenti: pts(100) });
    const stranger = await createMember(db, otherShopId);
    const before = await writes();
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerEmail: "ghost@example.com" }), 404);
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerId: Number(stranger.shopifyCustomerId) }), 404);
    await expectProblem(await redeem({ redeemRuleId: foreignReward.id, customerId: id }), 404);
    await expectProblem(await redeem({ redeemRuleId: "x' OR '1'='1", customerId: id }), 404);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN an excluded customer THEN 403 and nothing written", async () => {
    const { member, id } = await shopper(1000);
    await setMemberStatus(db, { shopId, identifier: String(id), status: "excluded", actor: "test" });
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
    const before = await writes();
    await expectProblem(await redeem({ redeemRuleId: reward.id, customerId: id }), 403);
    expect(await writes()).toEqual(before);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(1000));
  });

  it("GIVEN Shopify is down THEN 503 with Retry-After, every point stays, and the failed purchase is not a reward of the loyalty object", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    const discounts = shopify.state.listDiscounts(shopify.shop).length;
    await shopify.simulator.setFault("down");
    try {
      const response = await redeem({ redeemRuleId: reward.id, customerId: id });
      expect(response.headers.get("Retry-After")).toBe("30");
      await expectProblem(response, 503, /no points were spent/);
    } finally {
      await shopify.simulator.setFault("up");
    }
    expect(await db.customer.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      availableCenti: pts(600),
      redeemedCenti: 0n,
    });
    expect(shopify.state.listDiscounts(shopify.shop).length).toBe(discounts);
    const loyalty = await callRoute(
      "loader",
      "app/routes/api.external.customer-loyalty.tsx",
      apiRequest("GET", `/api/external/customer-loyalty?customerId=${id}`, { key, header: "x-api-key" }),
    );
    expect(((await loyalty.json()) as { rewards: unknown[] }).rewards).toEqual([]);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("GIVEN a GET THEN 405 with Allow: POST", async () => {
    const response = await callRoute("loader", REDEEM, apiRequest("GET", PATH, { key, header: "x-api-key" }));
    await expectProblem(response, 405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("422 with both numbers when the points do not cover the reward; 404 for an unknown rule", async () => {
    const { id } = await shopper(50);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    const short = await redeem({ redeemRuleId: reward.id, customerId: id });
    expect(short.status).toBe(422);
    expect(((await short.json()) as { message: string }).message).toBe(
      "Customer has 50 points but this reward costs 500",
    );
    expect((await redeem({ redeemRuleId: "nope", customerId: id })).status).toBe(404);
  });
});
