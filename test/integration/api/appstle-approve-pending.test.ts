import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { awardEarningRule } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createEarningRule, createKey, createMember, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const APPROVE = "app/routes/api.external.approve-pending-transactions.tsx";
const PATH = "/api/external/approve-pending-transactions";

/** Each test gets a shop of its own, so "approve all" sees only its own pending lots. */
let shops = 0;
async function givenShop() {
  shops += 1;
  const shopId = (await installShop(db, { shop: `approve-${shops}.myshopify.com` })).id;
  const rule = await createEarningRule(db, shopId, { approvalDays: 7, oncePerMember: false, pointsCenti: pts(40) });
  const keys = { key: await createKey(db, shopId), readKey: await createKey(db, shopId, "read") };
  // Many quick requests; the rate limit is tested elsewhere.
  return { shopId, ...keys, ruleId: rule.id };
}

/** GIVEN a member with `count` pending lots of 40 points; returns the member and the lot ids. */
async function pendingMember(shop: { shopId: string; ruleId: string }, count = 1) {
  const member = await createMember(db, shop.shopId);
  for (let i = 0; i < count; i++)
    await awardEarningRule(db, {
      shopId: shop.shopId,
      ruleId: shop.ruleId,
      identifier: member.email ?? "",
      actor: "test",
    });
  const lots = await db.lot.findMany({
    where: { memberId: member.id, status: "pending" },
    orderBy: { createdAt: "asc" },
  });
  return { member, customerId: Number(member.shopifyCustomerId), lotIds: lots.map((lot) => lot.id) };
}

const approve = (
  key: string | null,
  options: { query?: string; body?: unknown; rawBody?: string; method?: string } = {},
) =>
  callRoute(
    "action",
    APPROVE,
    apiRequest(options.method ?? "PUT", `${PATH}${options.query ?? ""}`, {
      key,
      header: "x-api-key",
      body: options.body,
      rawBody: options.rawBody,
    }),
  );

const pendingCount = (shopId: string) => db.lot.count({ where: { shopId, status: "pending" } });

async function expectProblem(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path: PATH });
  if (message) expect(body.message).toMatch(message);
}

describe("PUT /api/external/approve-pending-transactions", () => {
  let shop: Awaited<ReturnType<typeof givenShop>>;
  beforeAll(async () => {
    shop = await givenShop();
  });

  it("GIVEN pending transactions WHEN some are listed THEN exactly those are approved and spendable", async () => {
    const ada = await pendingMember(shop, 2);
    const bob = await pendingMember(shop, 1);
    const response = await approve(shop.key, {
      body: [
        { transactionId: ada.lotIds[0], customerId: ada.customerId },
        { transactionId: bob.lotIds[0], customerId: String(bob.customerId) },
      ],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ approved: 2 });
    const adaAfter = await db.customer.findUniqueOrThrow({ where: { id: ada.member.id } });
    expect([adaAfter.availableCenti, adaAfter.pendingCenti]).toEqual([pts(40), pts(40)]);
    const bobAfter = await db.customer.findUniqueOrThrow({ where: { id: bob.member.id } });
    expect([bobAfter.availableCenti, bobAfter.pendingCenti]).toEqual([pts(40), 0n]);
    expect(await db.lot.findUniqueOrThrow({ where: { id: ada.lotIds[1] as string } })).toMatchObject({
      status: "pending",
    });
    expect(await ledgerProblems(db, shop.shopId)).toEqual([]);
  });

  it("GIVEN pending transactions in two shops WHEN approveAllPendingTransactions=true THEN every pending one of this shop only", async () => {
    const own = await givenShop();
    const other = await givenShop();
    await pendingMember(own, 2);
    await pendingMember(own, 1);
    await pendingMember(other, 1);
    const response = await approve(own.key, { query: "?approveAllPendingTransactions=true" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ approved: 3 });
    expect(await pendingCount(own.shopId)).toBe(0);
    expect(await pendingCount(other.shopId)).toBe(1);
    expect(await ledgerProblems(db, own.shopId)).toEqual([]);
    // Nothing left: approving all again approves none.
    expect(await (await approve(own.key, { query: "?approveAllPendingTransactions=TRUE" })).json()).toEqual({
      approved: 0,
    });
  });

  it("GIVEN a listed transaction that is unknown, already approved, another customer's or another shop's THEN 404 naming it and nothing approved", async () => {
    const ada = await pendingMember(shop, 1);
    const bob = await pendingMember(shop, 1);
    const strangerShop = await givenShop();
    const stranger = await pendingMember(strangerShop, 1);
    const approved = await pendingMember(shop, 1);
    await approve(shop.key, { body: [{ transactionId: approved.lotIds[0], customerId: approved.customerId }] });
    const good = { transactionId: ada.lotIds[0], customerId: ada.customerId };
    const cases = [
      { transactionId: "no-such-lot", customerId: ada.customerId },
      { transactionId: 12345, customerId: ada.customerId },
      { transactionId: approved.lotIds[0], customerId: approved.customerId },
      { transactionId: bob.lotIds[0], customerId: ada.customerId },
      { transactionId: stranger.lotIds[0], customerId: stranger.customerId },
    ];
    for (const bad of cases) {
      const entries = await db.ledgerEntry.count();
      await expectProblem(
        await approve(shop.key, { body: [good, bad] }),
        404,
        new RegExp(`Pending transaction ${bad.transactionId} not found`),
      );
      expect(await db.ledgerEntry.count()).toBe(entries);
    }
    expect(await db.lot.findUniqueOrThrow({ where: { id: ada.lotIds[0] as string } })).toMatchObject({
      status: "pending",
    });
    expect(await pendingCount(strangerShop.shopId)).toBe(1);
  });

  it("GIVEN the same transaction listed twice, and approveAllPendingTransactions=false THEN it is approved once", async () => {
    const ada = await pendingMember(shop, 1);
    const entry = { transactionId: ada.lotIds[0], customerId: ada.customerId };
    const response = await approve(shop.key, { query: "?approveAllPendingTransactions=false", body: [entry, entry] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ approved: 1 });
    const after = await db.customer.findUniqueOrThrow({ where: { id: ada.member.id } });
    expect([after.availableCenti, after.pendingCenti]).toEqual([pts(40), 0n]);
    expect(await ledgerProblems(db, shop.shopId)).toEqual([]);
  });

  it.each([
    ["an injection string", "x' OR '1'='1"],
    ["unicode", "lot-ünïcödé-🎁"],
  ])("GIVEN %s as a transactionId THEN 404 naming it and nothing approved", async (_case, transactionId) => {
    const ada = await pendingMember(shop, 1);
    const pending = await pendingCount(shop.shopId);
    await expectProblem(
      await approve(shop.key, { body: [{ transactionId, customerId: ada.customerId }] }),
      404,
      /Pending transaction .* not found/,
    );
    expect(await pendingCount(shop.shopId)).toBe(pending);
  });

  it.each([
    ["an empty list", { body: [] }, /at least one transaction/],
    ["a JSON string body", { body: "all" }, /JSON array/],
    ["a fractional transactionId", { body: [{ transactionId: 1.5, customerId: 1 }] }, /0\.transactionId/],
    ["a fractional customerId", { body: [{ transactionId: "x", customerId: 1.5 }] }, /0\.customerId/],
    ["no body and no flag", {}, /approveAllPendingTransactions/],
    ["an object instead of a list", { body: { transactionId: "x", customerId: 1 } }, /JSON array/],
    ["a missing transactionId", { body: [{ customerId: 1 }] }, /0\.transactionId/],
    ["a missing customerId", { body: [{ transactionId: "x" }] }, /0\.customerId/],
    ["a customerId as a word", { body: [{ transactionId: "x", customerId: "abc" }] }, /0\.customerId/],
    ["a negative customerId", { body: [{ transactionId: "x", customerId: -1 }] }, /0\.customerId/],
    [
      "a transactionId with a NUL character",
      { body: [{ transactionId: "a\u0000b", customerId: 1 }] },
      /0\.transactionId: must not contain NUL characters/,
    ],
    [
      "a transactionId that is true",
      { body: [{ transactionId: true, customerId: 1 }] },
      /0\.transactionId: must be a string/,
    ],
    ["an empty transactionId", { body: [{ transactionId: " ", customerId: 1 }] }, /0\.transactionId/],
    [
      "too many transactions",
      { body: Array.from({ length: 501 }, () => ({ transactionId: "x", customerId: 1 })) },
      /500/,
    ],
    [
      "a bad flag",
      { query: "?approveAllPendingTransactions=yes" },
      /approveAllPendingTransactions: must be true or false/,
    ],
    [
      "the flag twice",
      { query: "?approveAllPendingTransactions=true&approveAllPendingTransactions=true" },
      /at most once/,
    ],
    ["invalid JSON", { rawBody: "[{" }, /not valid JSON/],
  ])("GIVEN %s THEN 400 naming the problem, and nothing approved", async (_case, options, message) => {
    await pendingMember(shop, 1);
    const pending = await pendingCount(shop.shopId);
    await expectProblem(await approve(shop.key, options), 400, message);
    expect(await pendingCount(shop.shopId)).toBe(pending);
  });

  it("GIVEN no key, a bad key or a read-only key THEN 401 / 401 / 403 and nothing approved", async () => {
    await pendingMember(shop, 1);
    const pending = await pendingCount(shop.shopId);
    const query = "?approveAllPendingTransactions=true";
    await expectProblem(await approve(null, { query }), 401);
    await expectProblem(await approve("pw_nope", { query }), 401);
    await expectProblem(await approve(shop.readKey, { query }), 403, /read-only/);
    expect(await pendingCount(shop.shopId)).toBe(pending);
  });

  it("GIVEN a POST THEN 405 with Allow: PUT", async () => {
    const response = await approve(shop.key, { method: "POST", query: "?approveAllPendingTransactions=true" });
    await expectProblem(response, 405);
    expect(response.headers.get("Allow")).toBe("PUT");
  });
});
