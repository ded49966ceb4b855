import { readFileSync } from "node:fs";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { drainWorker } from "~/jobs/worker.server";
import { customerLoyalty } from "~/modules/api/appstle.server";
import { customerCollection, customerResource } from "~/modules/api/mage";
import { countMembers } from "~/modules/customers/customers.server";
import {
  adjustPoints,
  memberBalances,
  MemberExcludedError,
  MemberNotFoundError,
  purchaseReward,
  setMemberStatus,
} from "~/modules/ledger";

import { createEarningRule, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { TEST_SHOP } from "../../helpers/requests";
import { simulateShopify } from "../../helpers/shopify";

import { deliver, orderPayload, post, resetWebhookData } from "./helpers";

const db = database();
const shopify = simulateShopify();
const OTHER_SHOP = "another-store.myshopify.com";
const CUSTOMER = "7064055069303";

let shopId: string;

const customerBody = (overrides: Record<string, unknown> = {}) => ({
  id: Number(CUSTOMER),
  email: "Ada@Example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  ...overrides,
});
const memberOf = (shopifyCustomerId: string, inShop = shopId) =>
  db.customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: inShop, shopifyCustomerId } } });
const signupRule = (overrides: Parameters<typeof createEarningRule>[2] = {}, forShop = shopId) =>
  createEarningRule(db, forShop, {
    name: "Create an account",
    category: "signup",
    action: "create_account",
    pointsCenti: pts(50),
    ...overrides,
  });
const activityOf = (memberId: string | null, type: string) =>
  db.activityLog.findMany({ where: { shopId, memberId, type }, orderBy: { createdAt: "asc" } });

beforeEach(async () => {
  await resetWebhookData(db);
  shopId = (await installShop(db)).id;
});
afterEach(() => shopify.simulator.setFault("up"));

describe("customers/create", () => {
  it("enrols the customer and credits the shop's active sign-up rule once, however often it arrives", async () => {
    await signupRule();
    await signupRule({ name: "Old bonus", isActive: false });
    await signupRule({ name: "Removed bonus", deletedAt: new Date() });
    await signupRule({}, (await installShop(db, { shop: OTHER_SHOP })).id);
    expect(await deliver(db, "customers/create", customerBody(), { webhookId: "c-1" })).toBe(200);
    expect(await deliver(db, "customers/create", customerBody(), { webhookId: "c-2" })).toBe(200);

    const member = await memberOf(CUSTOMER);
    expect(member).toMatchObject({
      email: "Ada@Example.com",
      emailNormalized: "ada@example.com",
      firstName: "Ada",
      status: "active",
      availableCenti: pts(50),
      lifetimeCenti: pts(50),
    });
    expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { memberId: member.id } })).toBe(1);
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "points.earned" } })).toBe(1);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("without a sign-up rule enrols the customer with no points", async () => {
    await createEarningRule(db, shopId); // a social rule: not a sign-up bonus
    await deliver(db, "customers/create", customerBody());
    expect(await memberOf(CUSTOMER)).toMatchObject({ availableCenti: 0n, pendingCenti: 0n });
    expect(await db.lot.count()).toBe(0);
  });

  it("a sign-up rule with an approval time credits pending points", async () => {
    await signupRule({ approvalDays: 7 });
    await deliver(db, "customers/create", customerBody());
    expect(await memberOf(CUSTOMER)).toMatchObject({ availableCenti: 0n, pendingCenti: pts(50) });
  });

  it("links a member known by email alone instead of duplicating them", async () => {
    await signupRule();
    const byEmail = await db.customer.create({
      data: { shopId, email: "ada@example.com", emailNormalized: "ada@example.com" },
    });
    await deliver(db, "customers/create", customerBody());
    expect(await db.customer.count({ where: { shopId } })).toBe(1);
    expect(await memberOf(CUSTOMER)).toMatchObject({ id: byEmail.id, availableCenti: pts(50) });
  });

  it("never revives a deleted member, and a new customer may take a deleted member's email", async () => {
    await signupRule();
    const gone = await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "ada@example.com" });
    await deliver(db, "customers/delete", { id: Number(CUSTOMER) });
    await deliver(db, "customers/create", customerBody({ first_name: "Back" }));
    expect(await memberOf(CUSTOMER)).toMatchObject({ id: gone.id, status: "deleted", availableCenti: 0n });
    expect(await db.lot.count()).toBe(0);

    await deliver(db, "customers/create", customerBody({ id: 42 }));
    expect(await memberOf("42")).toMatchObject({ emailNormalized: "ada@example.com", availableCenti: pts(50) });
    expect((await memberOf(CUSTOMER)).emailNormalized).toBeNull();
  });
});

describe("customers/update", () => {
  it("syncs email and names; the birthday (not in Shopify's payload) is kept", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "old@example.com" });
    await db.customer.update({ where: { id: member.id }, data: { dateOfBirth: "1815-12-10" } });
    await deliver(db, "customers/update", customerBody({ email: " New@Example.com ", first_name: "Augusta" }));
    expect(await memberOf(CUSTOMER)).toMatchObject({
      id: member.id,
      email: "New@Example.com",
      emailNormalized: "new@example.com",
      firstName: "Augusta",
      lastName: "Lovelace",
      dateOfBirth: "1815-12-10",
    });
  });

  it("leaves a deleted member as it is", async () => {
    await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "old@example.com" });
    await deliver(db, "customers/delete", { id: Number(CUSTOMER) });
    await deliver(db, "customers/update", customerBody());
    expect(await memberOf(CUSTOMER)).toMatchObject({ email: "old@example.com", status: "deleted" });
  });
});

describe("customers/delete", () => {
  it("marks the member deleted and keeps their history; the ledger, the lists and the APIs treat them as gone", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "ada@example.com" });
    const other = await createMember(db, shopId);
    await adjustPoints(db, { shopId, identifier: CUSTOMER, deltaCenti: pts(800), actor: "test" });
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    await purchaseReward(db, { shopId, rewardId: reward.id, identifier: CUSTOMER, discountCode: "KEEP-1", actor: "t" });

    expect(await deliver(db, "customers/delete", { id: Number(CUSTOMER) }, { webhookId: "d-1" })).toBe(200);
    expect(await deliver(db, "customers/delete", { id: Number(CUSTOMER) }, { webhookId: "d-2" })).toBe(200);

    expect(await memberOf(CUSTOMER)).toMatchObject({
      id: member.id,
      status: "deleted",
      email: "ada@example.com",
      availableCenti: pts(300),
      redeemedCenti: pts(500),
    });
    expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { memberId: member.id } })).toBe(2);
    expect(await db.customerReward.count({ where: { memberId: member.id, discountCode: "KEEP-1" } })).toBe(1);
    expect(await activityOf(member.id, "member_deleted")).toHaveLength(1);
    expect(await ledgerProblems(db, shopId)).toEqual([]);

    await expect(
      adjustPoints(db, { shopId, identifier: CUSTOMER, deltaCenti: pts(1), actor: "test" }),
    ).rejects.toBeInstanceOf(MemberExcludedError);
    await expect(
      setMemberStatus(db, { shopId, identifier: CUSTOMER, status: "active", actor: "merchant" }),
    ).rejects.toBeInstanceOf(MemberNotFoundError);
    expect(await countMembers(db, shopId)).toBe(1);
    const list = await customerCollection(db, shopId, new URL("https://x.test/api/v1/customers"));
    expect(JSON.stringify(list)).not.toContain(`"${CUSTOMER}"`);
    expect(JSON.stringify(list)).toContain(`"${other.shopifyCustomerId}"`);
    const excluded = await customerCollection(db, shopId, new URL("https://x.test/c?filter[loyalty_status]=excluded"));
    expect(JSON.stringify(excluded)).not.toContain(`"${CUSTOMER}"`);
    const detail = JSON.stringify(customerResource(await memberBalances(db, member.id)));
    expect(detail).toContain('"loyalty_status":"excluded"');
    expect(detail).toContain('"is_excluded":true');
    expect((await customerLoyalty(db, member.id)).customerStatus).toBe("INACTIVE");
  });

  it("a later order of the deleted customer earns nothing and enrols nobody", async () => {
    await createEarningRule(db, shopId, {
      category: "purchase",
      action: "place_order",
      pointsCenti: 0n,
      oncePerMember: false,
      pointsPerUnitCenti: 100n,
    });
    const member = await createMember(db, shopId, { shopifyCustomerId: CUSTOMER });
    await deliver(db, "customers/delete", { id: Number(CUSTOMER) });
    await deliver(db, "orders/paid", orderPayload({ customerId: CUSTOMER, subtotal: "40.00" }));
    expect(await memberOf(CUSTOMER)).toMatchObject({ id: member.id, availableCenti: 0n, status: "deleted" });
    expect(await db.customer.count({ where: { shopId } })).toBe(1);
  });

  it("for a customer who is not a member changes nothing", async () => {
    await createMember(db, shopId, { shopifyCustomerId: "5" });
    await deliver(db, "customers/delete", { id: Number(CUSTOMER) });
    expect(await db.customer.findMany({ select: { status: true } })).toEqual([{ status: "active" }]);
    expect(await db.activityLog.count()).toBe(0);
  });
});

describe("customers/redact", () => {
  const redactBody = (id = CUSTOMER) => ({
    shop_id: 954889,
    shop_domain: TEST_SHOP,
    customer: { id: Number(id), email: "ada@example.com", phone: "555-625-1199" },
    orders_to_redact: [299938],
  });

  it("erases the personal data, keeps the ledger anonymous, scrubs the member's activity and the stored bodies", async () => {
    await signupRule();
    await deliver(db, "customers/create", customerBody(), { webhookId: "create-1" });
    const member = await memberOf(CUSTOMER);
    await db.customer.update({
      where: { id: member.id },
      data: { dateOfBirth: "1815-12-10", anniversaryDate: "2020-01-01" },
    });
    await db.activityLog.create({
      data: {
        shopId,
        memberId: member.id,
        type: "note",
        message: "Ada Lovelace (ada@example.com, born 1815-12-10) asked about customer 7064055069303; Allocated",
        actor: "merchant",
        data: JSON.stringify({ email: "Ada@Example.com", customerId: Number(CUSTOMER), points: 5 }),
      },
    });
    const bystander = await createMember(db, shopId, { shopifyCustomerId: "5", email: "bob@example.com" });
    await deliver(
      db,
      "customers/create",
      customerBody({ id: 5, email: "bob@example.com", first_name: "Bob", last_name: "Smith" }),
      { webhookId: "create-5" },
    );

    expect(await deliver(db, "customers/redact", redactBody(), { webhookId: "redact-1" })).toBe(200);

    const erased = await db.customer.findUniqueOrThrow({ where: { id: member.id } });
    expect(erased).toMatchObject({
      shopifyCustomerId: null,
      email: null,
      emailNormalized: null,
      firstName: null,
      lastName: null,
      dateOfBirth: null,
      anniversaryDate: null,
      status: "deleted",
      availableCenti: pts(50),
      lifetimeCenti: pts(50),
    });
    expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { memberId: member.id } })).toBe(1);
    expect(await ledgerProblems(db, shopId)).toEqual([]);

    const personal = /ada|lovelace|1815-12-10|2020-01-01|7064055069303|555-625/i;
    const lines = await db.activityLog.findMany({ where: { memberId: member.id } });
    for (const line of lines) expect(`${line.message} ${line.data ?? ""}`).not.toMatch(personal);
    expect(lines.find((l) => l.type === "note")?.message).toBe(
      "[redacted] ([redacted], born [redacted]) asked about customer [redacted]; Allocated",
    );
    expect(JSON.parse(lines.find((l) => l.type === "note")?.data ?? "{}")).toEqual({
      email: "[redacted]",
      customerId: "[redacted]",
      points: 5,
    });
    expect(lines.filter((l) => l.type === "customer_redacted")).toHaveLength(1);
    for (const event of await db.outboxEvent.findMany({ where: { memberId: member.id } })) {
      expect(event.payload).not.toMatch(personal);
    }
    const bodies = await db.webhookDelivery.findMany({ select: { webhookId: true, payload: true } });
    expect(bodies.filter((b) => personal.test(b.payload))).toEqual([]);
    expect(bodies.find((b) => b.webhookId === "create-5")?.payload).toContain("bob@example.com");

    expect(await db.customer.findUniqueOrThrow({ where: { id: bystander.id } })).toMatchObject({
      shopifyCustomerId: "5",
      email: "bob@example.com",
      status: "active",
    });
  });

  it("for a customer who is not a member logs the request and changes no member", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: "5", email: "bob@example.com" });
    await deliver(db, "customers/redact", redactBody());
    expect(await db.customer.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      email: "bob@example.com",
      status: "active",
    });
    const lines = await db.activityLog.findMany();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: "customer_redacted", memberId: null });
    expect(lines[0]?.message).not.toMatch(/7064055069303|ada/i);
  });
});

describe("customers/data_request", () => {
  const requestBody = (id = CUSTOMER) => ({
    shop_id: 954889,
    shop_domain: TEST_SHOP,
    customer: { id: Number(id), email: "ada@example.com", phone: "555-625-1199" },
    orders_requested: [299938],
    data_request: { id: 9999 },
  });

  it("assembles the member's loyalty data as one JSON document stored for the merchant", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: CUSTOMER, email: "ada@example.com" });
    await adjustPoints(db, { shopId, identifier: CUSTOMER, deltaCenti: pts(800), actor: "test" });
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(500) });
    await purchaseReward(db, {
      shopId,
      rewardId: reward.id,
      identifier: CUSTOMER,
      discountCode: "ADA-500",
      actor: "t",
    });
    const other = await createMember(db, shopId, { shopifyCustomerId: "5" });
    await adjustPoints(db, { shopId, identifier: "5", deltaCenti: pts(1), actor: "test" });
    const membersBefore = await db.customer.findMany({ orderBy: { id: "asc" } });

    expect(await deliver(db, "customers/data_request", requestBody())).toBe(200);

    const [line] = await activityOf(member.id, "data_request");
    expect(line?.message).toContain("9999");
    const document = JSON.parse(line?.data ?? "null");
    expect(document).toMatchObject({
      dataRequestId: "9999",
      member: { id: member.id, shopifyCustomerId: CUSTOMER, email: "ada@example.com", status: "active" },
      balances: { availableCenti: "30000", pendingCenti: "0", lifetimeCenti: "80000", redeemedCenti: "50000" },
      rewards: [{ discountCode: "ADA-500", status: "active", pointsSpentCenti: "50000" }],
    });
    expect(document.lots).toHaveLength(1);
    expect(document.ledgerEntries).toHaveLength(2);
    expect(document.activity.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(document)).not.toContain(other.id);
    expect(await db.customer.findMany({ orderBy: { id: "asc" } })).toEqual(membersBefore);
  });

  it("for a customer who is not a member only logs the request", async () => {
    await createMember(db, shopId, { shopifyCustomerId: "5" });
    const membersBefore = await db.customer.findMany();
    await deliver(db, "customers/data_request", requestBody());
    const lines = await db.activityLog.findMany();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: "data_request", memberId: null });
    expect(JSON.parse(lines[0]?.data ?? "{}")).toEqual({ dataRequestId: "9999", member: null });
    expect(await db.customer.findMany()).toEqual(membersBefore);
  });

  it("a payload without the customer answers 400 and stores nothing", async () => {
    expect(await post("customers/data_request", { shop_domain: TEST_SHOP })).toBe(400);
    expect(await db.webhookDelivery.count()).toBe(0);
  });
});

describe("shop/redact", () => {
  const models = [...readFileSync("prisma/schema.prisma", "utf8").matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);

  /** Every table's rows that belong to the shop (each model of the schema must be listed here). */
  async function rowsOf(id: string, domain: string, keyIds: string[]) {
    const rows: Record<string, number> = {
      Session: await db.session.count({ where: { shop: domain } }),
      Shop: await db.shop.count({ where: { id } }),
      Customer: await db.customer.count({ where: { shopId: id } }),
      EarningRule: await db.earningRule.count({ where: { shopId: id } }),
      Reward: await db.reward.count({ where: { shopId: id } }),
      VipTier: await db.vipTier.count({ where: { shopId: id } }),
      Lot: await db.lot.count({ where: { shopId: id } }),
      LedgerEntry: await db.ledgerEntry.count({ where: { shopId: id } }),
      LotAllocation: await db.lotAllocation.count({ where: { lot: { shopId: id } } }),
      CustomerReward: await db.customerReward.count({ where: { shopId: id } }),
      Order: await db.order.count({ where: { shopId: id } }),
      IdempotencyRecord: await db.idempotencyRecord.count({ where: { shopId: id } }),
      ActivityLog: await db.activityLog.count({ where: { shopId: id } }),
      OutboxEvent: await db.outboxEvent.count({ where: { shopId: id } }),
      TierChange: await db.tierChange.count({ where: { shopId: id } }),
      ApiKey: await db.apiKey.count({ where: { shopId: id } }),
      ApiRateLimit: await db.apiRateLimit.count({ where: { keyId: { in: keyIds } } }),
      ApiIdempotentRequest: await db.apiIdempotentRequest.count({ where: { shopId: id } }),
      WebhookSubscription: await db.webhookSubscription.count({ where: { shopId: id } }),
      WebhookDelivery: await db.webhookDelivery.count({ where: { OR: [{ shopId: id }, { shopDomain: domain }] } }),
      OrderRefund: await db.orderRefund.count({ where: { shopId: id } }),
      JobState: await db.jobState.count({ where: { shopId: id } }),
    };
    return rows;
  }

  /** GIVEN a shop with at least one row in every table. */
  async function populate(domain: string) {
    const id = domain === TEST_SHOP ? shopId : (await installShop(db, { shop: domain })).id;
    await createEarningRule(db, id, {
      category: "purchase",
      action: "place_order",
      pointsCenti: 0n,
      oncePerMember: false,
      pointsPerUnitCenti: 100n,
    });
    const gold = await db.vipTier.create({
      data: { shopId: id, name: "Gold", threshold: pts(10), multiplierBp: 10_000 },
    });
    const customer = `${domain.length}1001`;
    const member = await createMember(db, id, { shopifyCustomerId: customer });
    await db.tierChange.create({
      data: { shopId: id, memberId: member.id, toTierId: gold.id, direction: "upgrade", reason: "test" },
    });
    await adjustPoints(db, {
      shopId: id,
      identifier: customer,
      deltaCenti: pts(900),
      actor: "t",
      idempotencyKey: "k-1",
    });
    const reward = await createReward(db, id, { pointsCostCenti: pts(500) });
    await purchaseReward(db, {
      shopId: id,
      rewardId: reward.id,
      identifier: customer,
      discountCode: `R-${id}`,
      actor: "t",
    });
    const order = orderPayload({ customerId: customer, subtotal: "20.00" });
    await deliver(db, "orders/paid", order, { shop: domain });
    await deliver(
      db,
      "refunds/create",
      { id: order.id + 1, order_id: order.id, refund_line_items: [] },
      { shop: domain },
    );
    const key = await db.apiKey.create({
      data: { shopId: id, name: "k", prefix: `pk_${id}`, secretHash: "x", scope: "full" },
    });
    await db.apiRateLimit.create({ data: { keyId: key.id, milliTokens: 1000n, updatedMs: 0n } });
    await db.apiIdempotentRequest.create({
      data: { shopId: id, key: "i-1", method: "POST", path: "/x", requestHash: "h" },
    });
    await db.webhookSubscription.create({
      data: {
        id: `sub-${id}`,
        shopId: id,
        url: "https://hooks.example.com/x",
        events: "[]",
        secretEncrypted: "v1:x",
        secretHint: "whsec_x",
      },
    });
    await db.jobState.create({ data: { shopId: id, job: "backfill" } });
    return { id, keyIds: [key.id] };
  }

  it("deletes every row of the shop in every table and leaves another shop untouched", async () => {
    const mine = await populate(TEST_SHOP);
    const theirs = await populate(OTHER_SHOP);
    const before = await rowsOf(mine.id, TEST_SHOP, mine.keyIds);
    const othersBefore = await rowsOf(theirs.id, OTHER_SHOP, theirs.keyIds);
    expect(Object.keys(before).sort()).toEqual([...models].sort());
    expect(Object.entries(before).filter(([, count]) => count === 0)).toEqual([]);

    expect(await deliver(db, "shop/redact", { shop_id: 954889, shop_domain: TEST_SHOP }, { webhookId: "sr-1" })).toBe(
      200,
    );

    expect(Object.values(await rowsOf(mine.id, TEST_SHOP, mine.keyIds)).every((count) => count === 0)).toBe(true);
    expect(await rowsOf(theirs.id, OTHER_SHOP, theirs.keyIds)).toEqual(othersBefore);

    // A redelivery finds no shop: nothing is stored again.
    expect(await deliver(db, "shop/redact", { shop_id: 954889, shop_domain: TEST_SHOP }, { webhookId: "sr-2" })).toBe(
      200,
    );
    expect(await db.webhookDelivery.count({ where: { shopDomain: TEST_SHOP } })).toBe(0);
  });
});

describe("orders/paid for a customer who is not a member yet", () => {
  const earnRule = () =>
    createEarningRule(db, shopId, {
      category: "purchase",
      action: "place_order",
      pointsCenti: 0n,
      oncePerMember: false,
      pointsPerUnitCenti: 100n,
    });
  const shopCustomer = () => {
    const record = shopify.state.addCustomer(shopify.shop, {
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
    });
    return record.id.split("/").at(-1) ?? "";
  };
  /** The order body names the customer with whatever the sender wrote; only the id is taken from it. */
  const orderFor = (customerId: string, subtotal = "30.00") => ({
    ...orderPayload({ customerId, subtotal }),
    customer: { id: Number(customerId), email: "someone-else@example.com", first_name: "Mallory" },
  });

  it("enrols them from Shopify's record of the delivering shop (not the body), with the sign-up bonus, then earns", async () => {
    await earnRule();
    await signupRule();
    const id = shopCustomer();
    const order = orderFor(id);
    expect(await deliver(db, "orders/paid", order, { webhookId: "o-1" })).toBe(200);
    expect(await deliver(db, "orders/paid", order, { webhookId: "o-2" })).toBe(200);
    expect(await memberOf(id)).toMatchObject({
      email: "grace@example.com",
      firstName: "Grace",
      lastName: "Hopper",
      status: "active",
      availableCenti: pts(80),
    });
    expect(await db.webhookDelivery.count({ where: { status: "done" } })).toBe(2);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("a body naming another shop's customer (a replay) enrols and credits nobody", async () => {
    await earnRule();
    // Shopify's customer ids are global: another shop's customer is unknown to this shop's Admin API.
    const foreign = "998877665544";
    await createMember(db, shopId, { shopifyCustomerId: "5", email: "someone-else@example.com" });
    expect(await deliver(db, "orders/paid", orderFor(foreign))).toBe(200);
    expect(await db.customer.count({ where: { shopId } })).toBe(1);
    expect(await db.lot.count()).toBe(0);
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "done" });
    expect(await activityOf(null, "order_customer_unknown")).toHaveLength(1);
  });

  it("with Shopify down the delivery is retried and nothing is written; once Shopify is back it earns", async () => {
    await earnRule();
    const id = shopCustomer();
    shopify.simulator.setFault("down");
    await post("orders/paid", orderFor(id));
    const now = new Date();
    expect(await drainWorker(db, { now })).toMatchObject({ processed: 0, retried: 1 });
    expect(await db.customer.count({ where: { shopId } })).toBe(0);
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1 });

    shopify.simulator.setFault("up");
    await drainWorker(db, { now: new Date(now.getTime() + 3_600_000) });
    expect(await memberOf(id)).toMatchObject({ availableCenti: pts(30) });
  });

  it("a guest order (no customer) earns nothing and is logged", async () => {
    await earnRule();
    await deliver(db, "orders/paid", orderPayload({ customerId: null, subtotal: "30.00" }));
    expect(await db.customer.count()).toBe(0);
    expect(await activityOf(null, "guest_order")).toHaveLength(1);
  });
});
