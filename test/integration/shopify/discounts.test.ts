import { HttpThrottlingError } from "@shopify/shopify-api";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { database } from "~/db.server";
import { customerLoyalty } from "~/modules/api/appstle.server";
import { adjustPoints } from "~/modules/ledger";
import { generateDiscountCode, purchaseRewardWithDiscount } from "~/modules/rewards/purchase.server";
import { refundPurchasedReward } from "~/modules/rewards/refund.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  DISCOUNT_TIMEOUT_MS,
  ShopifyDiscountRejectedError,
  ShopifyUnavailableError,
  shopifyCallPolicy,
  throttleWaitMs,
} from "~/shopify/discounts.server";
import { readStoreCreditBalance } from "~/shopify/store-credit.server";
import { unauthenticated } from "~/shopify.server";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
const PURCHASE = "app/routes/api.v1.rewards.$id.purchase.tsx";
let shopId: string;
let key: string;
let currency: string;
let graphql: AdminGraphql;

const purchaseViaApi = (rewardId: string, identifier: string) =>
  callRoute(
    "action",
    PURCHASE,
    apiRequest("POST", `/api/v1/rewards/${rewardId}/purchase`, { key, body: { customer_identifier: identifier } }),
    { id: rewardId },
  );

/** GIVEN a member who is a customer in (simulated) Shopify, with points. */
async function shopper(points: number, options: { inShopify?: boolean } = {}) {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `d${Math.random()}@example.com` });
  const id =
    options.inShopify === false
      ? String(900_000_000 + Math.floor(Math.random() * 1e8))
      : (customer.id.split("/").at(-1) ?? "");
  const member = await createMember(db, shopId, { shopifyCustomerId: id });
  await adjustPoints(db, { shopId, identifier: id, deltaCenti: pts(points), actor: "test" });
  return { member, id, gid: `gid://shopify/Customer/${id}` };
}

const available = async (memberId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).availableCenti;

const discountOf = (code: string) => shopify.state.findDiscountByCode(shopify.shop, code)?.codeDiscount;

const creates = () =>
  shopify.simulator.operations.filter((op) => op.operationName?.startsWith("Create") ?? false).length;

/** THEN nothing was spent: every point back, the purchase failed, the ledger adds up. */
async function expectPointsKept(member: { id: string }, points: number) {
  expect(await available(member.id)).toBe(pts(points));
  const rewards = await db.customerReward.findMany({ where: { memberId: member.id }, select: { status: true } });
  expect(rewards.every((reward) => reward.status === "failed")).toBe(true);
  expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "points.redeemed" } })).toBe(0);
  expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
}

afterEach(async () => {
  vi.restoreAllMocks();
  shopifyCallPolicy.timeoutMs = DISCOUNT_TIMEOUT_MS;
  await shopify.simulator.setFault("up");
});

beforeAll(async () => {
  // GIVEN the shop's currency as Shopify has it (store credit must be in it).
  currency = "EUR";
  shopId = (await installShop(db)).id;
  await db.shop.update({ where: { id: shopId }, data: { currencyCode: currency } });
  key = await createKey(db, shopId);
  graphql = (await unauthenticated.admin(shopify.shop)).admin.graphql;
});

describe("a real Shopify discount for every reward type", () => {
  it("fixed amount: the member only, once, from now until the reward expires, with its minimum and combinations", async () => {
    const { member, id, gid } = await shopper(600);
    const reward = await createReward(db, shopId, {
      discountAmountMinor: 750n,
      minimumSpendMinor: 3000n,
      expiryDays: 30,
      combinesWithOrder: false,
      combinesWithProduct: true,
      combinesWithShipping: true,
    });
    const before = Date.now();
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(bought.status).toBe("active");
    const discount = discountOf(bought.discountCode ?? "");
    expect(discount).toMatchObject({
      __typename: "DiscountCodeBasic",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { __typename: "DiscountCustomers", customerIds: [gid] },
      customerGets: {
        value: {
          __typename: "DiscountAmount",
          amount: { amount: "7.5", currencyCode: currency },
          appliesOnEachItem: false,
        },
        items: { __typename: "AllDiscountItems" },
      },
      minimumRequirement: {
        __typename: "DiscountMinimumSubtotal",
        greaterThanOrEqualToSubtotal: { amount: "30.0", currencyCode: currency },
      },
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    });
    expect(Date.parse(discount?.startsAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(discount?.startsAt ?? "")).toBeLessThanOrEqual(Date.now());
    // Shopify keeps whole seconds.
    expect(Date.parse(discount?.endsAt ?? "")).toBe(Math.floor((bought.expiresAt?.getTime() ?? 0) / 1000) * 1000);
    expect(Date.parse(discount?.endsAt ?? "") - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    const row = await db.customerReward.findUniqueOrThrow({ where: { id: bought.id } });
    expect(row.shopifyDiscountId).toBe(shopify.state.findDiscountByCode(shopify.shop, row.discountCode ?? "")?.id);
    expect(await available(member.id)).toBe(pts(100));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("percentage: that percentage off everything, no minimum, no end when the reward never expires", async () => {
    const { id, gid } = await shopper(600);
    const reward = await createReward(db, shopId, {
      discountType: "percentage",
      discountAmountMinor: null,
      discountPercentBp: 1500,
      combinesWithOrder: true,
    });
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(discountOf(bought.discountCode ?? "")).toMatchObject({
      __typename: "DiscountCodeBasic",
      endsAt: null,
      minimumRequirement: null,
      context: { customerIds: [gid] },
      customerGets: { value: { __typename: "DiscountPercentage", percentage: 0.15 } },
      combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false },
    });
  });

  it("free shipping: a free-shipping code to every country with the same restrictions", async () => {
    const { id, gid } = await shopper(600);
    const reward = await createReward(db, shopId, {
      discountType: "free_shipping",
      discountAmountMinor: null,
      minimumSpendMinor: 2000n,
      expiryDays: 7,
    });
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(discountOf(bought.discountCode ?? "")).toMatchObject({
      __typename: "DiscountCodeFreeShipping",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customerIds: [gid] },
      destinationSelection: { __typename: "DiscountCountryAll" },
      minimumRequirement: { greaterThanOrEqualToSubtotal: { amount: "20.0" } },
    });
    expect(Date.parse(discountOf(bought.discountCode ?? "")?.endsAt ?? "")).toBe(
      Math.floor((bought.expiresAt?.getTime() ?? 0) / 1000) * 1000,
    );
  });

  it("free product: 100% off the chosen variant, needing it in the cart", async () => {
    const { id, gid } = await shopper(600);
    const reward = await createReward(db, shopId, {
      discountType: "free_product",
      discountAmountMinor: null,
      freeProductVariantId: "4242",
    });
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(discountOf(bought.discountCode ?? "")).toMatchObject({
      __typename: "DiscountCodeBasic",
      context: { customerIds: [gid] },
      customerGets: {
        value: { __typename: "DiscountPercentage", percentage: 1 },
        items: { __typename: "DiscountProducts", productVariantIds: ["gid://shopify/ProductVariant/4242"] },
      },
      minimumRequirement: { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: "1" },
    });
  });

  it("free product without a variant: 422, nothing in Shopify, every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId, { discountType: "free_product", discountAmountMinor: null });
    const before = shopify.state.listDiscounts(shopify.shop).length;
    const response = await purchaseViaApi(reward.id, id);
    expect(response.status).toBe(422);
    expect(shopify.state.listDiscounts(shopify.shop).length).toBe(before);
    await expectPointsKept(member, 600);
  });

  it("a variable reward: a fixed amount of the value bought", async () => {
    const { member, id } = await shopper(1000);
    const reward = await createReward(db, shopId, {
      isVariable: true,
      pointsCostCenti: null,
      discountAmountMinor: null,
      pointsPerUnitCenti: pts(100),
      minPointsCenti: pts(100),
      maxPointsCenti: pts(1000),
    });
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      pointsCenti: pts(300),
      actor: "t",
    });
    expect(bought.valueMinor).toBe(300n);
    expect(discountOf(bought.discountCode ?? "")?.customerGets).toMatchObject({
      value: { __typename: "DiscountAmount", amount: { amount: "3.0" } },
    });
    expect(await available(member.id)).toBe(pts(700));
  });

  it("store credit: credited to the member's Shopify store credit account (no code), and read back", async () => {
    const { member, id, gid } = await shopper(1000);
    const reward = await createReward(db, shopId, {
      discountType: "store_credit",
      discountAmountMinor: 1250n,
      pointsCostCenti: pts(300),
    });
    expect(await readStoreCreditBalance(graphql, gid, currency)).toBe(0n);
    const first = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    await purchaseRewardWithDiscount(db, graphql, { shopId, rewardId: reward.id, identifier: id, actor: "t" });
    expect(first).toMatchObject({ status: "active", discountCode: null, shopifyDiscountId: null });
    const accounts = shopify.state.storeCreditAccountsOf(shopify.shop, gid);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.balance).toEqual({ amount: "25.0", currencyCode: currency });
    expect(await readStoreCreditBalance(graphql, gid, currency)).toBe(2500n);
    expect(await readStoreCreditBalance(graphql, gid, currency === "EUR" ? "USD" : "EUR")).toBe(0n);
    expect((await customerLoyalty(db, member.id, { shopify: graphql })).storeCreditBalance).toBe(25);
    expect((await customerLoyalty(db, member.id)).storeCreditBalance).toBe(0);
    expect(await available(member.id)).toBe(pts(400));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("a store-credit reward is not refunded (points back would pay twice): 422, nothing changes", async () => {
    const { member, id } = await shopper(1000);
    const reward = await createReward(db, shopId, { discountType: "store_credit", discountAmountMinor: 500n });
    const bought = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    await expect(refundPurchasedReward(db, { shopId, customerRewardId: bought.id, actor: "t" })).rejects.toMatchObject({
      status: 422,
    });
    expect((await db.customerReward.findUniqueOrThrow({ where: { id: bought.id } })).status).toBe("active");
    expect(await available(member.id)).toBe(pts(500));
  });

  it("store credit read back while Shopify is down: the loyalty object still answers, with 0", async () => {
    const { member } = await shopper(10);
    await shopify.simulator.setFault("down");
    expect((await customerLoyalty(db, member.id, { shopify: graphql })).storeCreditBalance).toBe(0);
  });
});

describe("discount codes", () => {
  it("are a prefix and 10 unambiguous random characters, distinct draw after draw", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => generateDiscountCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^PW-[2-9A-HJKMNP-Z]{10}$/);
    expect(generateDiscountCode("VIP-2026")).toMatch(/^VIP-2026-[2-9A-HJKMNP-Z]{10}$/);
    expect(() => generateDiscountCode("bad prefix")).toThrow(RangeError);
    expect(() => generateDiscountCode("")).toThrow(RangeError);
  });

  it("every character of the alphabet turns up (crypto randomness, no stuck positions)", () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateDiscountCode().slice(3)).join(""));
    expect(seen.size).toBe(31);
  });

  it("a configurable prefix reaches Shopify", async () => {
    const { id } = await shopper(600);
    const reward = await createReward(db, shopId);
    const bought = await purchaseRewardWithDiscount(
      db,
      graphql,
      { shopId, rewardId: reward.id, identifier: id, actor: "t" },
      { codePrefix: "LOYAL" },
    );
    expect(bought.discountCode).toMatch(/^LOYAL-/);
    expect(discountOf(bought.discountCode ?? "")).toBeDefined();
  });

  it("the shop's own prefix (Shop.discountCodePrefix) names its codes; PW when it keeps the default", async () => {
    const { id } = await shopper(1200);
    const reward = await createReward(db, shopId);
    const plain = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(plain.discountCode).toMatch(/^PW-[2-9A-HJKMNP-Z]{10}$/);
    await db.shop.update({ where: { id: shopId }, data: { discountCodePrefix: "ACME" } });
    try {
      const named = await purchaseRewardWithDiscount(db, graphql, {
        shopId,
        rewardId: reward.id,
        identifier: id,
        actor: "t",
      });
      expect(named.discountCode).toMatch(/^ACME-[2-9A-HJKMNP-Z]{10}$/);
      expect(discountOf(named.discountCode ?? "")).toBeDefined();
    } finally {
      await db.shop.update({ where: { id: shopId }, data: { discountCodePrefix: "PW" } });
    }
  });

  /** A client that, before each create, lets someone else take the code the app is about to use. */
  function collidingClient(times: number): { client: AdminGraphql; taken: string[] } {
    const taken: string[] = [];
    const client = (async (document: string, options?: { variables?: Record<string, unknown> }) => {
      const discount = options?.variables?.discount as { code?: string } | undefined;
      if (document.includes("CreateBasicRewardDiscount") && discount?.code && taken.length < times) {
        taken.push(discount.code);
        await graphql(document, {
          variables: { discount: { ...discount, title: "Someone else's", context: { all: "ALL" } } },
        });
      }
      return graphql(document, options);
    }) as AdminGraphql;
    return { client, taken };
  }

  it("a code Shopify already has: retried once with a new code, which the member gets", async () => {
    const { member, id, gid } = await shopper(600);
    const reward = await createReward(db, shopId);
    const { client, taken } = collidingClient(1);
    const bought = await purchaseRewardWithDiscount(db, client, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(taken).toHaveLength(1);
    expect(bought.discountCode).not.toBe(taken[0]);
    expect(bought.status).toBe("active");
    expect(discountOf(bought.discountCode ?? "")?.context).toMatchObject({ customerIds: [gid] });
    expect(discountOf(taken[0] ?? "")?.title).toBe("Someone else's");
    expect(await available(member.id)).toBe(pts(100));
  });

  it("taken twice: 422 with Shopify's message, every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    const { client, taken } = collidingClient(2);
    await expect(
      purchaseRewardWithDiscount(db, client, { shopId, rewardId: reward.id, identifier: id, actor: "t" }),
    ).rejects.toThrow(/Code must be unique/);
    expect(taken).toHaveLength(2);
    await expectPointsKept(member, 600);
  });
});

describe("Shopify refusing, down, slow or throttled during a purchase", () => {
  it("userErrors: 422 with Shopify's message; every point kept", async () => {
    const { member, id } = await shopper(600, { inShopify: false });
    const reward = await createReward(db, shopId);
    const response = await purchaseViaApi(reward.id, id);
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain("Customer does not exist");
    await expectPointsKept(member, 600);
  });

  it("userErrors from the module: a ShopifyDiscountRejectedError carrying them", async () => {
    const { id } = await shopper(600, { inShopify: false });
    const reward = await createReward(db, shopId);
    const error = await purchaseRewardWithDiscount(db, graphql, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    })
      .then(() => null)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ShopifyDiscountRejectedError);
    expect((error as ShopifyDiscountRejectedError).userErrors[0]).toMatchObject({
      field: ["basicCodeDiscount", "context", "customers", "add"],
      code: "INVALID",
    });
  });

  it("down: 503 and every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    await shopify.simulator.setFault("down");
    const response = await purchaseViaApi(reward.id, id);
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("30");
    await expectPointsKept(member, 600);
  });

  it("slower than the deadline: 503 once the deadline passes, and every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    shopifyCallPolicy.timeoutMs = 300;
    await shopify.simulator.setFault("slow");
    const started = Date.now();
    const response = await purchaseViaApi(reward.id, id);
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expectPointsKept(member, 600);
  });

  it("the deadline is 8 s by default", () => {
    expect(DISCOUNT_TIMEOUT_MS).toBe(8_000);
    expect(shopifyCallPolicy.timeoutMs).toBe(8_000);
  });

  it("throttled (THROTTLED in a 200): waits as throttleStatus says, retries, and succeeds", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    await shopify.simulator.setFault("throttled");
    // What Shopify said when it throttled us, as the client library reports it.
    const costs: { requestedQueryCost: number; throttleStatus: { currentlyAvailable: number; restoreRate: number } }[] =
      [];
    const client = (async (document: string, options?: Record<string, unknown>) => {
      try {
        return await graphql(document, options);
      } catch (error) {
        costs.push((error as { body: { extensions: { cost: (typeof costs)[number] } } }).body.extensions.cost);
        throw error;
      }
    }) as AdminGraphql;
    const waits: number[] = [];
    // The bucket refills while we wait.
    vi.spyOn(shopifyCallPolicy, "sleep").mockImplementation(async (ms) => {
      waits.push(ms);
      await shopify.simulator.setFault("up");
    });
    const before = creates();
    const bought = await purchaseRewardWithDiscount(db, client, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(bought.status).toBe("active");
    expect(creates() - before).toBe(2);
    expect(costs).toHaveLength(1);
    const cost = costs[0];
    expect(cost?.throttleStatus.currentlyAvailable).toBe(0);
    expect(cost?.requestedQueryCost).toBeGreaterThan(0);
    expect(waits).toEqual([
      Math.ceil(((cost?.requestedQueryCost ?? 0) / (cost?.throttleStatus.restoreRate ?? 1)) * 1000),
    ]);
    expect(await available(member.id)).toBe(pts(100));
  });

  it("throttled through the API: 201 after the wait", async () => {
    const { id } = await shopper(600);
    const reward = await createReward(db, shopId);
    await shopify.simulator.setFault("throttled");
    vi.spyOn(shopifyCallPolicy, "sleep").mockImplementation(() => shopify.simulator.setFault("up"));
    expect((await purchaseViaApi(reward.id, id)).status).toBe(201);
  });

  it("throttled without end: at most 2 retries, then 503 and every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    await shopify.simulator.setFault("throttled");
    const sleep = vi.spyOn(shopifyCallPolicy, "sleep").mockResolvedValue(undefined);
    const before = creates();
    const response = await purchaseViaApi(reward.id, id);
    expect(response.status).toBe(503);
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(creates() - before).toBe(3);
    await expectPointsKept(member, 600);
  });

  it("HTTP 429: waits as Retry-After says, then succeeds", async () => {
    const { id } = await shopper(600);
    const reward = await createReward(db, shopId);
    let refused = 0;
    const client = (async (document: string, options?: Record<string, unknown>) => {
      if (refused === 0) {
        refused += 1;
        throw new Response("{}", { status: 429, headers: { "Retry-After": "2" } });
      }
      return graphql(document, options);
    }) as AdminGraphql;
    const sleep = vi.spyOn(shopifyCallPolicy, "sleep").mockResolvedValue(undefined);
    const bought = await purchaseRewardWithDiscount(db, client, {
      shopId,
      rewardId: reward.id,
      identifier: id,
      actor: "t",
    });
    expect(bought.status).toBe("active");
    expect(sleep).toHaveBeenCalledWith(2_000);
  });

  it("HTTP 429 as @shopify/shopify-api throws it (HttpThrottlingError): waits its retryAfter", async () => {
    const { id } = await shopper(600);
    const reward = await createReward(db, shopId);
    let refused = 0;
    const client = (async (document: string, options?: Record<string, unknown>) => {
      if (refused === 0) {
        refused += 1;
        throw new HttpThrottlingError({
          message: "Shopify is throttling requests",
          code: 429,
          statusText: "Too Many Requests",
          body: {},
          headers: {},
          retryAfter: 1.5,
        });
      }
      return graphql(document, options);
    }) as AdminGraphql;
    const sleep = vi.spyOn(shopifyCallPolicy, "sleep").mockResolvedValue(undefined);
    expect(
      (await purchaseRewardWithDiscount(db, client, { shopId, rewardId: reward.id, identifier: id, actor: "t" }))
        .status,
    ).toBe("active");
    expect(sleep).toHaveBeenCalledWith(1_500);
  });

  it("a wait longer than the deadline left is not waited: 503 at once, every point kept", async () => {
    const { member, id } = await shopper(600);
    const reward = await createReward(db, shopId);
    const client = (async () => {
      throw new Response("{}", { status: 429, headers: { "Retry-After": "60" } });
    }) as unknown as AdminGraphql;
    const sleep = vi.spyOn(shopifyCallPolicy, "sleep").mockResolvedValue(undefined);
    await expect(
      purchaseRewardWithDiscount(db, client, { shopId, rewardId: reward.id, identifier: id, actor: "t" }),
    ).rejects.toBeInstanceOf(ShopifyUnavailableError);
    expect(sleep).not.toHaveBeenCalled();
    await expectPointsKept(member, 600);
  });

  it("throttleWaitMs: what is missing divided by the restore rate; 1 s when Shopify says nothing", () => {
    expect(
      throttleWaitMs({ requestedQueryCost: 50, throttleStatus: { currentlyAvailable: 10, restoreRate: 100 } }),
    ).toBe(400);
    expect(throttleWaitMs({ requestedQueryCost: 10, throttleStatus: { currentlyAvailable: 0, restoreRate: 50 } })).toBe(
      200,
    );
    expect(throttleWaitMs(null)).toBe(1_000);
  });
});
