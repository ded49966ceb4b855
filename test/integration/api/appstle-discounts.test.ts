import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, purchaseReward } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";
import { simulateShopify } from "../../helpers/shopify";
import { discountStatus } from "../../../sandbox/shopify/state";

const db = database();
// The codes bought with purchaseReward below are not in Shopify (to Shopify they are gone); the ones
// bought through the purchase endpoint are real codes in the simulated store.
const shopify = simulateShopify();
const CHECK = "app/routes/api.external.check-discount.tsx";
const UPDATE = "app/routes/api.external.update-discount.tsx";
const CHECK_PATH = "/api/external/check-discount";
const UPDATE_PATH = "/api/external/update-discount";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

type Options = Parameters<typeof apiRequest>[2];
const check = (body: unknown, options: Options = {}) =>
  callRoute("action", CHECK, apiRequest("PUT", CHECK_PATH, { key, header: "x-api-key", body, ...options }));
const update = (body: unknown, options: Options = {}) =>
  callRoute("action", UPDATE, apiRequest("PUT", UPDATE_PATH, { key, header: "x-api-key", body, ...options }));

/** GIVEN a member of `shop` with 1000 points who bought a 100-point reward with a fresh code. */
async function boughtCode(shop = () => shopId) {
  const member = await createMember(db, shop());
  const identifier = member.email ?? "";
  await adjustPoints(db, { shopId: shop(), identifier, deltaCenti: pts(1000), actor: "test" });
  const reward = await createReward(db, shop(), { pointsCostCenti: pts(100), expiryDays: 30 });
  const code = `PW-${randomUUID().slice(0, 10).toUpperCase()}`;
  const bought = await purchaseReward(db, {
    shopId: shop(),
    rewardId: reward.id,
    identifier,
    discountCode: code,
    actor: "test",
  });
  return { member, customerId: Number(member.shopifyCustomerId), code, customerRewardId: bought.id };
}

const setStatus = (id: string, data: { status?: string; expiresAt?: Date }) =>
  db.customerReward.update({ where: { id }, data });

const stored = (id: string) => db.customerReward.findUniqueOrThrow({ where: { id } });

const writes = async () => ({
  entries: await db.ledgerEntry.count(),
  activities: await db.activityLog.count(),
  events: await db.outboxEvent.count(),
  rewards: (await db.customerReward.findMany({ orderBy: { id: "asc" } })).map(
    (r) => `${r.id}:${r.status}:${r.usedAt?.getTime()}`,
  ),
});

async function expectProblem(response: Response, status: number, path: string, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path });
  expect(typeof body.timestamp).toBe("string");
  if (message) expect(body.message).toMatch(message);
}

beforeAll(async () => {
  shopId = (await installShop(db)).id;
  key = await createKey(db, shopId);
  readKey = await createKey(db, shopId, "read");
  otherShopId = (await installShop(db, { shop: "other-discounts.myshopify.com" })).id;
});

describe("PUT /api/external/check-discount", () => {
  it("GIVEN the customer's active code WHEN checked (in any case) THEN valid, and nothing written", async () => {
    const { customerId, code } = await boughtCode();
    const before = await writes();
    for (const given of [code, code.toLowerCase()]) {
      const response = await check({ customerId, discountCode: given });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ valid: true, reason: null, discountCode: code, status: "ACTIVE" });
    }
    expect(await writes()).toEqual(before);
  });

  it.each([
    ["used", { status: "used" }, "USED", "USED"],
    ["expired", { status: "expired" }, "EXPIRED", "EXPIRED"],
    ["past its expiry date", { expiresAt: new Date(Date.now() - 1000) }, "EXPIRED", "EXPIRED"],
    ["refunded", { status: "refunded" }, "REFUNDED", "REFUNDED"],
    ["still being set up (pending)", { status: "pending" }, "NOT_FOUND", null],
  ])("GIVEN the customer's code that is %s THEN valid false with the reason", async (_case, data, reason, status) => {
    const { customerId, code, customerRewardId } = await boughtCode();
    await setStatus(customerRewardId, data);
    const response = await check({ customerId, discountCode: code });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: false, reason, discountCode: code, status });
  });

  it.each([
    ["an injection string", "' OR '1'='1' --"],
    ["a LIKE wildcard", "PW-%"],
    ["unicode", "ÇÖDE-✓-🎁"],
  ])("GIVEN %s as the code THEN NOT_FOUND, and nothing written", async (_case, discountCode) => {
    const { customerId } = await boughtCode();
    const before = await writes();
    const response = await check({ customerId, discountCode });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ valid: false, reason: "NOT_FOUND", discountCode, status: null });
    expect(await writes()).toEqual(before);
  });

  it("GIVEN an unknown code, another shop's code or another customer's code THEN NOT_FOUND / NOT_FOUND / NOT_YOURS", async () => {
    const mine = await boughtCode();
    const theirs = await boughtCode();
    const elsewhere = await boughtCode(() => otherShopId);
    const answers = async (discountCode: string) =>
      (await (await check({ customerEmail: mine.member.email, discountCode })).json()) as Record<string, unknown>;
    expect(await answers("PW-NOPE")).toEqual({
      valid: false,
      reason: "NOT_FOUND",
      discountCode: "PW-NOPE",
      status: null,
    });
    expect(await answers(elsewhere.code)).toMatchObject({ valid: false, reason: "NOT_FOUND" });
    expect(await answers(theirs.code)).toEqual({
      valid: false,
      reason: "NOT_YOURS",
      discountCode: theirs.code,
      status: null,
    });
  });

  it.each([
    ["no discountCode", { customerId: 1 }, /discountCode/],
    ["an empty discountCode", { customerId: 1, discountCode: "  " }, /discountCode: must not be empty/],
    ["a numeric discountCode", { customerId: 1, discountCode: 1234 }, /discountCode: must be a string/],
    [
      "a discountCode with a NUL character",
      { customerId: 1, discountCode: "PW\u0000X" },
      /discountCode: must not contain NUL characters/,
    ],
    [
      "a discountCode with a control character",
      { customerId: 1, discountCode: "PW\u0007X" },
      /discountCode: must not contain control characters/,
    ],
    ["a discountCode over 255 characters", { customerId: 1, discountCode: "X".repeat(256) }, /discountCode: .*255/],
    ["both customer fields", { customerId: 1, customerEmail: "a@example.com", discountCode: "X" }, /exactly one/],
    ["no customer", { discountCode: "X" }, /customerId: give exactly one/],
    ["a customerId as a word", { customerId: "one", discountCode: "X" }, /customerId/],
    ["a malformed email", { customerEmail: "@example.com", discountCode: "X" }, /customerEmail/],
  ])("GIVEN %s THEN 400 naming the field", async (_case, body, message) => {
    await expectProblem(await check(body), 400, CHECK_PATH, message);
  });

  it("GIVEN invalid JSON, no key, a read-only key, an unknown or another shop's customer, or a GET THEN 400 / 401 / 403 / 404 / 404 / 405", async () => {
    const { customerId, code } = await boughtCode();
    const stranger = await boughtCode(() => otherShopId);
    await expectProblem(await check(undefined, { rawBody: "{" }), 400, CHECK_PATH, /not valid JSON/);
    await expectProblem(await check({ customerId, discountCode: code }, { key: null }), 401, CHECK_PATH);
    await expectProblem(await check({ customerId, discountCode: code }, { key: readKey }), 403, CHECK_PATH);
    await expectProblem(await check({ customerEmail: "ghost@example.com", discountCode: code }), 404, CHECK_PATH);
    await expectProblem(
      await check({ customerId: stranger.customerId, discountCode: stranger.code }),
      404,
      CHECK_PATH,
      /not found/,
    );
    const get = await callRoute("loader", CHECK, apiRequest("GET", CHECK_PATH, { key, header: "x-api-key" }));
    await expectProblem(get, 405, CHECK_PATH);
    expect(get.headers.get("Allow")).toBe("PUT");
  });
});

describe("PUT /api/external/update-discount", () => {
  it("GIVEN an active code WHEN marked USED THEN 200 with the updated reward, an activity line and a member.sync event; USED again is a 409 that writes nothing", async () => {
    const { member, customerId, code, customerRewardId } = await boughtCode();
    const response = await update({ customerId, discountCode: code, status: "USED" });
    expect(response.status).toBe(200);
    const reward = (await response.json()) as Record<string, unknown>;
    expect(reward).toMatchObject({
      id: customerRewardId,
      discountCode: code,
      status: "USED",
      customerId,
      pointsSpent: 100,
    });
    expect(typeof reward.usedAt).toBe("string");
    expect(await stored(customerRewardId)).toMatchObject({ status: "used" });
    expect(await db.activityLog.count({ where: { memberId: member.id, type: "reward_status_changed" } })).toBe(1);
    const before = await writes();
    await expectProblem(
      await update({ customerId, discountCode: code, status: "USED" }),
      409,
      UPDATE_PATH,
      new RegExp(`${code} is already used`),
    );
    expect(await writes()).toEqual(before);
  });

  it("GIVEN a used code WHEN marked UNUSED THEN active again with no usedAt; UNUSED of an active code is a 409", async () => {
    const { customerId, code, customerRewardId } = await boughtCode();
    await update({ customerId, discountCode: code, status: "USED" });
    const response = await update({
      customerEmail: (await boughtCodeOwner(customerRewardId)).email,
      discountCode: code,
      status: "unused",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ACTIVE", usedAt: null });
    expect(await stored(customerRewardId)).toMatchObject({ status: "active", usedAt: null });
    const before = await writes();
    await expectProblem(await update({ customerId, discountCode: code, status: "UNUSED" }), 409, UPDATE_PATH, /active/);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN an active code WHEN marked EXPIRED THEN expired; then USED, UNUSED and EXPIRED again are 409s", async () => {
    const { customerId, code, customerRewardId } = await boughtCode();
    const response = await update({ customerId, discountCode: code, status: "EXPIRED" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "EXPIRED" });
    const before = await writes();
    for (const status of ["USED", "UNUSED", "EXPIRED"])
      await expectProblem(await update({ customerId, discountCode: code, status }), 409, UPDATE_PATH, /expired/);
    expect(await writes()).toEqual(before);
    expect(await stored(customerRewardId)).toMatchObject({ status: "expired" });
  });

  it("GIVEN an active code WHEN marked REFUNDED THEN its points come back through the ledger; a second refund is a 409", async () => {
    const { member, customerId, code, customerRewardId } = await boughtCode();
    const response = await update({ customerId, discountCode: code, status: "REFUNDED" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: customerRewardId, status: "REFUNDED" });
    const after = await db.customer.findUniqueOrThrow({ where: { id: member.id } });
    expect([after.availableCenti, after.redeemedCenti]).toEqual([pts(1000), 0n]);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
    const before = await writes();
    await expectProblem(
      await update({ customerId, discountCode: code, status: "REFUNDED" }),
      409,
      UPDATE_PATH,
      /refunded/,
    );
    expect(await writes()).toEqual(before);
  });

  it("GIVEN a used code WHEN marked REFUNDED THEN 422 and no points come back", async () => {
    const { member, customerId, code } = await boughtCode();
    await update({ customerId, discountCode: code, status: "USED" });
    const before = await writes();
    await expectProblem(await update({ customerId, discountCode: code, status: "REFUNDED" }), 422, UPDATE_PATH, /used/);
    expect(await writes()).toEqual(before);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(900));
  });

  it("GIVEN 10 parallel USED updates of one code THEN exactly one succeeds and the others are 409s", async () => {
    const { member, customerId, code, customerRewardId } = await boughtCode();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => update({ customerId, discountCode: code, status: "USED" })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array.from({ length: 9 }, () => 409)]);
    expect(await stored(customerRewardId)).toMatchObject({ status: "used" });
    expect(await db.activityLog.count({ where: { memberId: member.id, type: "reward_status_changed" } })).toBe(1);
  });

  it("GIVEN an unknown code, another customer's code, or another shop's customer and code THEN 404 and nothing changes", async () => {
    const mine = await boughtCode();
    const theirs = await boughtCode();
    const elsewhere = await boughtCode(() => otherShopId);
    const before = await writes();
    const cases = [
      { customerId: mine.customerId, discountCode: "PW-NOPE" },
      { customerId: mine.customerId, discountCode: theirs.code },
      { customerId: mine.customerId, discountCode: elsewhere.code },
      { customerId: elsewhere.customerId, discountCode: elsewhere.code },
    ];
    for (const body of cases)
      await expectProblem(await update({ ...body, status: "USED" }), 404, UPDATE_PATH, /not found/);
    expect(await writes()).toEqual(before);
  });

  it.each([
    ["still being set up (pending)", "pending"],
    ["a purchase that failed", "failed"],
  ])("GIVEN the customer's code of a purchase %s WHEN updated THEN 404 and nothing changes", async (_case, status) => {
    const { customerId, code, customerRewardId } = await boughtCode();
    await setStatus(customerRewardId, { status });
    const before = await writes();
    for (const next of ["USED", "UNUSED", "EXPIRED", "REFUNDED"])
      await expectProblem(
        await update({ customerId, discountCode: code, status: next }),
        404,
        UPDATE_PATH,
        /not found/,
      );
    expect(await writes()).toEqual(before);
  });

  it("GIVEN the customer's code WHEN updated with a lower-case status and code THEN the stored code is updated, and the reward shows its kind", async () => {
    const { customerId, code, customerRewardId } = await boughtCode();
    const response = await update({ customerId, discountCode: ` ${code.toLowerCase()} `, status: "used" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: customerRewardId,
      customerId,
      discountCode: code,
      rewardType: "DISCOUNT_CODE",
      discountType: "FIXED",
      pointsSpent: 100,
      status: "USED",
    });
  });

  it.each([
    ["an unknown status", { status: "DELETED" }, /status: must be one of USED, UNUSED, EXPIRED, REFUNDED/],
    ["no status", {}, /status/],
    ["a numeric status", { status: 1 }, /status/],
    [
      "a discountCode with a newline",
      { discountCode: "PW\nX", status: "USED" },
      /discountCode: must not contain control characters/,
    ],
    ["no discountCode", { discountCode: undefined, status: "USED" }, /discountCode/],
    ["a customerId as a float", { customerId: 1.5, status: "USED" }, /customerId/],
    ["a unicode email", { customerId: undefined, customerEmail: "jöhn@exämple.com", status: "USED" }, /customerEmail/],
  ])("GIVEN %s THEN 400 naming the field, and nothing written", async (_case, fields, message) => {
    const { customerId, code } = await boughtCode();
    const before = await writes();
    await expectProblem(await update({ customerId, discountCode: code, ...fields }), 400, UPDATE_PATH, message);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN invalid JSON, no key, a bad key, a read-only key or a POST THEN 400 / 401 / 401 / 403 / 405 and nothing written", async () => {
    const { customerId, code } = await boughtCode();
    const body = { customerId, discountCode: code, status: "USED" };
    const before = await writes();
    await expectProblem(await update(undefined, { rawBody: "not json" }), 400, UPDATE_PATH, /not valid JSON/);
    await expectProblem(await update(body, { key: null }), 401, UPDATE_PATH);
    await expectProblem(await update(body, { key: "pw_nope" }), 401, UPDATE_PATH);
    await expectProblem(await update(body, { key: readKey }), 403, UPDATE_PATH, /read-only/);
    const post = await callRoute("action", UPDATE, apiRequest("POST", UPDATE_PATH, { key, body }));
    await expectProblem(post, 405, UPDATE_PATH);
    expect(post.headers.get("Allow")).toBe("PUT");
    expect(await writes()).toEqual(before);
  });
});

async function boughtCodeOwner(customerRewardId: string) {
  const reward = await db.customerReward.findUniqueOrThrow({
    where: { id: customerRewardId },
    include: { member: true },
  });
  return reward.member;
}

describe("PUT /api/external/update-discount with a real code in Shopify", () => {
  /** GIVEN a Shopify customer with 1000 points who bought a 100-point reward through the Mage API. */
  async function boughtInShopify() {
    const customer = shopify.state.addCustomer(shopify.shop, { email: `real-${randomUUID()}@example.com` });
    const customerId = Number(customer.id.split("/").at(-1));
    const member = await createMember(db, shopId, {
      shopifyCustomerId: String(customerId),
      email: customer.email ?? "",
    });
    await adjustPoints(db, { shopId, identifier: String(customerId), deltaCenti: pts(1000), actor: "test" });
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100), expiryDays: 30 });
    const bought = await callRoute(
      "action",
      "app/routes/api.v1.rewards.$id.purchase.tsx",
      apiRequest("POST", `/api/v1/rewards/${reward.id}/purchase`, { key, body: { customer_identifier: customerId } }),
      { id: reward.id },
    );
    expect(bought.status).toBe(201);
    const code = String(
      ((await bought.json()) as { data: { attributes: { discount_code: string } } }).data.attributes.discount_code,
    );
    return { member, customerId, code };
  }
  const inShopify = (code: string) => {
    const discount = shopify.state.findDiscountByCode(shopify.shop, code);
    if (!discount) throw new Error(`no discount ${code} in Shopify`);
    return discountStatus(discount.codeDiscount, new Date());
  };

  it("GIVEN REFUNDED THEN the code stops working in Shopify before the points come back", async () => {
    const { member, customerId, code } = await boughtInShopify();
    expect(inShopify(code)).toBe("ACTIVE");
    const response = await update({ customerId, discountCode: code, status: "REFUNDED" });
    expect(response.status).toBe(200);
    expect(inShopify(code)).toBe("EXPIRED");
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(1000));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it("GIVEN EXPIRED THEN the code stops working in Shopify too", async () => {
    const { customerId, code } = await boughtInShopify();
    expect((await update({ customerId, discountCode: code, status: "EXPIRED" })).status).toBe(200);
    expect(inShopify(code)).toBe("EXPIRED");
  });

  it("GIVEN Shopify down THEN REFUNDED and EXPIRED answer 503 with Retry-After and change nothing", async () => {
    const { member, customerId, code } = await boughtInShopify();
    const before = await writes();
    await shopify.simulator.setFault("down");
    try {
      for (const status of ["REFUNDED", "EXPIRED"]) {
        const response = await update({ customerId, discountCode: code, status });
        expect(response.headers.get("Retry-After")).toBe("30");
        await expectProblem(response, 503, UPDATE_PATH, /deactivate the discount code/);
      }
    } finally {
      await shopify.simulator.setFault("up");
    }
    expect(await writes()).toEqual(before);
    expect(inShopify(code)).toBe("ACTIVE");
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(900));
  });
});
