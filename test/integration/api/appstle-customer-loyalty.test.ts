import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints, purchaseReward, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const LOYALTY = "app/routes/api.external.customer-loyalty.tsx";
const PATH = "/api/external/customer-loyalty";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

const getLoyalty = (query: string, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("loader", LOYALTY, apiRequest("GET", `${PATH}?${query}`, { key, header: "x-api-key", ...options }));

type Loyalty = { availablePoints: number; customerStatus: string; rewards: { discountCode: string; status: string }[] };

async function expectProblem(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path: PATH });
  if (message) expect(body.message).toMatch(message);
}

/** GIVEN a member with 1000 points who bought five rewards, left active, used, expired, refunded and past its date. */
async function memberWithRewards() {
  const member = await createMember(db, shopId);
  const identifier = member.email ?? "";
  await adjustPoints(db, { shopId, identifier, deltaCenti: pts(1000), actor: "test" });
  const reward = await createReward(db, shopId, { pointsCostCenti: pts(100), expiryDays: 30 });
  const codes: Record<string, string> = {};
  for (const state of ["active", "used", "expired", "refunded", "dated"]) {
    const code = `PW-${state.toUpperCase()}-${member.id.slice(-6)}`;
    const bought = await purchaseReward(db, {
      shopId,
      rewardId: reward.id,
      identifier,
      discountCode: code,
      actor: "test",
    });
    codes[state] = code;
    if (state === "used")
      await db.customerReward.update({ where: { id: bought.id }, data: { status: "used", usedAt: new Date() } });
    if (state === "expired") await db.customerReward.update({ where: { id: bought.id }, data: { status: "expired" } });
    if (state === "refunded")
      await db.customerReward.update({ where: { id: bought.id }, data: { status: "refunded" } });
    if (state === "dated")
      await db.customerReward.update({ where: { id: bought.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  }
  return { member, codes };
}

describe("GET /api/external/customer-loyalty", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    otherShopId = (await installShop(db, { shop: "other-loyalty.myshopify.com" })).id;
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("GIVEN a member WHEN asked by customerId with a read-only key THEN 200 with the full loyalty object", async () => {
    const { member, codes } = await memberWithRewards();
    const response = await getLoyalty(`customerId=${member.shopifyCustomerId}`, { key: readKey });
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as Loyalty & Record<string, unknown>;
    expect(loyalty).toMatchObject({
      customerId: Number(member.shopifyCustomerId),
      availablePoints: 500,
      spentAmount: 500,
      creditedPoints: 1000,
      customerStatus: "ACTIVE",
    });
    for (const field of [
      "pendingPoints",
      "storeCreditBalance",
      "achievableTierId",
      "currentVipTier",
      "vipTierExpiredAt",
    ])
      expect(loyalty).toHaveProperty(field);
    expect(Object.fromEntries(loyalty.rewards.map((reward) => [reward.discountCode, reward.status]))).toEqual({
      [codes.active as string]: "ACTIVE",
      [codes.used as string]: "USED",
      [codes.expired as string]: "EXPIRED",
      [codes.refunded as string]: "REFUNDED",
      [codes.dated as string]: "EXPIRED",
    });
  });

  it.each([
    ["UNUSED", ["active"]],
    ["ACTIVE", ["active"]],
    ["USED", ["used"]],
    ["EXPIRED", ["expired", "dated"]],
    ["REFUNDED", ["refunded"]],
    ["used", ["used"]],
  ])("GIVEN rewards in every status WHEN status=%s THEN only those rewards are listed", async (status, states) => {
    const { member, codes } = await memberWithRewards();
    const response = await getLoyalty(`customerEmail=${encodeURIComponent(member.email ?? "")}&status=${status}`);
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as Loyalty;
    expect(loyalty.rewards.map((reward) => reward.discountCode).sort()).toEqual(
      states.map((state) => codes[state]).sort(),
    );
  });

  it("GIVEN purchases still being set up or failed THEN they are not rewards of the loyalty object; each reward shows its kind", async () => {
    const { member, codes } = await memberWithRewards();
    const pending = await db.customerReward.findFirstOrThrow({ where: { discountCode: codes.active } });
    const failed = await db.customerReward.findFirstOrThrow({ where: { discountCode: codes.used } });
    await db.customerReward.update({ where: { id: pending.id }, data: { status: "pending" } });
    await db.customerReward.update({ where: { id: failed.id }, data: { status: "failed" } });
    const response = await getLoyalty(`customerId=${member.shopifyCustomerId}`);
    expect(response.status).toBe(200);
    const loyalty = (await response.json()) as { rewards: Record<string, unknown>[] };
    expect(loyalty.rewards.map((reward) => reward.discountCode).sort()).toEqual(
      [codes.expired, codes.refunded, codes.dated].sort(),
    );
    expect(loyalty.rewards[0]).toMatchObject({ rewardType: "DISCOUNT_CODE", discountType: "FIXED", pointsSpent: 100 });
    const active = await getLoyalty(`customerId=${member.shopifyCustomerId}&status=ACTIVE`);
    expect(((await active.json()) as { rewards: unknown[] }).rewards).toEqual([]);
  });

  it("GIVEN an unknown customer named by a digit string beyond 2^53 THEN 404", async () => {
    await expectProblem(await getLoyalty(`customerId=${"9".repeat(20)}`), 404, /not found/);
  });

  it("GIVEN a member WHEN asked by email in another case THEN found", async () => {
    const member = await createMember(db, shopId, { email: "ada.lovelace+vip@example.com" });
    const response = await getLoyalty(`customerEmail=${encodeURIComponent("Ada.Lovelace+VIP@Example.COM")}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { customerId: number }).customerId).toBe(Number(member.shopifyCustomerId));
  });

  it("GIVEN an excluded member THEN 200 with customerStatus EXCLUDED (reading is allowed)", async () => {
    const member = await createMember(db, shopId);
    await setMemberStatus(db, { shopId, identifier: member.email ?? "", status: "excluded", actor: "test" });
    const response = await getLoyalty(`customerId=${member.shopifyCustomerId}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Loyalty).customerStatus).toBe("EXCLUDED");
  });

  it.each([
    [
      "an unknown status",
      "customerId=1&status=PENDING",
      /status: must be one of UNUSED, ACTIVE, USED, EXPIRED, REFUNDED/,
    ],
    ["an empty status", "customerId=1&status=", /status/],
    ["both customer fields", "customerId=1&customerEmail=a%40example.com", /exactly one/],
    ["no customer", "status=USED", /customerId: give exactly one/],
    ["a customerId with letters", "customerId=12a", /customerId/],
    ["a negative customerId", "customerId=-12", /customerId/],
    ["a malformed email", "customerEmail=nobody", /customerEmail/],
    ["a unicode email", `customerEmail=${encodeURIComponent("jöhn@exämple.com")}`, /customerEmail/],
    ["a NUL in the email", "customerEmail=a%00b%40example.com", /customerEmail/],
    ["customerId twice", "customerId=1&customerId=2", /customerId: give it at most once/],
    [
      "customerEmail twice",
      "customerEmail=a%40example.com&customerEmail=a%40example.com",
      /customerEmail: give it at most once/,
    ],
    ["status twice", "customerId=1&status=USED&status=USED", /status: give it at most once/],
    ["a fractional customerId", "customerId=1.5", /customerId/],
    ["a customerId of 21 digits", `customerId=${"9".repeat(21)}`, /customerId/],
    ["an injection string as customerId", `customerId=${encodeURIComponent("1 OR 1=1")}`, /customerId/],
    ["an injection string as email", `customerEmail=${encodeURIComponent("x' OR '1'='1")}`, /customerEmail/],
  ])("GIVEN %s THEN 400 in Appstle's format naming the field", async (_case, query, message) => {
    await expectProblem(await getLoyalty(query), 400, message);
  });

  it("GIVEN no key or a bad key THEN 401", async () => {
    await expectProblem(await getLoyalty("customerId=1", { key: null }), 401);
    await expectProblem(await getLoyalty("customerId=1", { key: "pw_nope" }), 401);
  });

  it("GIVEN an unknown customer, or a customer of another shop THEN 404", async () => {
    await expectProblem(await getLoyalty("customerEmail=ghost%40example.com"), 404, /not found/);
    const stranger = await createMember(db, otherShopId);
    await expectProblem(await getLoyalty(`customerId=${stranger.shopifyCustomerId}`), 404);
    await expectProblem(await getLoyalty(`customerEmail=${encodeURIComponent(stranger.email ?? "")}`), 404);
  });

  it("GIVEN a POST THEN 405 with Allow: GET", async () => {
    const response = await callRoute(
      "action",
      LOYALTY,
      apiRequest("POST", `${PATH}?customerId=1`, { key, header: "x-api-key", body: {} }),
    );
    await expectProblem(response, 405);
    expect(response.headers.get("Allow")).toBe("GET");
  });
});
