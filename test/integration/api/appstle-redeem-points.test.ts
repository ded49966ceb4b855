import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const REDEEM = "app/routes/api.external.redeem-points.tsx";
let shopId: string;
let key: string;

const redeem = (body: unknown) =>
  callRoute("action", REDEEM, apiRequest("POST", "/api/external/redeem-points", { key, header: "x-api-key", body }));

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

  it.each([
    ["no redeemRuleId", { customerId: 1 }, /redeemRuleId/],
    ["points as a string", { redeemRuleId: "x", customerId: 1, points: "300" }, /points/],
    ["both customer fields", { redeemRuleId: "x", customerId: 1, customerEmail: "a@example.com" }, /exactly one/],
  ])("400 for %s", async (_case, body, message) => {
    const response = await redeem(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
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
