import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";
import { setUpMetafields, syncProgramMetafield } from "~/modules/metafields/program.server";
import {
  claimSyncEvents,
  MAX_SYNC_ATTEMPTS,
  MEMBER_SYNC_TOPIC,
  SYNC_LEASE_MS,
  syncBackoffMs,
  syncMemberMetafields,
} from "~/modules/metafields/sync.server";
import { unauthenticated } from "~/shopify.server";

import {
  createEarningRule,
  createKey,
  createMember,
  createReward,
  createTier,
  installShop,
} from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
let shopId: string;

const SET = "SetPointwiseMetafields";
type SetInput = { ownerId: string; namespace: string; key: string; type: string; value: string };

/** The metafieldsSet calls the simulated Admin API received since the last reset. */
const setCalls = () =>
  shopify.simulator.operations
    .filter((operation) => operation.operationName === SET)
    .map((operation) => (operation.variables as { metafields: SetInput[] }).metafields);

const loyaltyOf = (customerGid: string) => {
  const metafield = shopify.state.findMetafield(shopify.shop, customerGid, "$app", "loyalty");
  return metafield ? { type: metafield.type, value: JSON.parse(metafield.value) as Record<string, unknown> } : null;
};

const syncEvents = () =>
  db.outboxEvent.findMany({ where: { shopId, topic: MEMBER_SYNC_TOPIC }, orderBy: { createdAt: "asc" } });

/** GIVEN a Shopify customer who is a member (no points yet). */
async function shopifyMember() {
  const customer = shopify.state.addCustomer(shopify.shop, { email: `m${Math.random()}@example.com` });
  const identifier = customer.id.split("/").at(-1) ?? "";
  const member = await createMember(db, shopId, { shopifyCustomerId: identifier, email: customer.email ?? "" });
  return { customer, member, identifier };
}

const give = (identifier: string, points: number | string) =>
  adjustPoints(db, { shopId, identifier, deltaCenti: pts(points), actor: "test" });

describe("member metafield $app:loyalty, synced from the outbox", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
  });

  beforeEach(async () => {
    // Each test starts with an empty outbox queue and an empty call log.
    await db.outboxEvent.updateMany({
      where: { shopId, status: { in: ["pending", "delivering"] } },
      data: { status: "delivered" },
    });
    await shopify.simulator.setFault("up");
    shopify.simulator.resetLog();
  });

  it("GIVEN a points change WHEN the sync runs THEN the customer's metafield holds the exact new balances and the event is delivered", async () => {
    const { customer, identifier, member } = await shopifyMember();
    await give(identifier, "1250.75");
    const tier = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
    await db.customer.update({ where: { id: member.id }, data: { vipTierId: tier.id } });

    const report = await syncMemberMetafields(db, { shopId });

    expect(report).toMatchObject({ written: 1, skipped: 0, delivered: 1, retried: 0, dead: 0, calls: 1 });
    expect(loyaltyOf(customer.id)).toEqual({
      type: "json",
      value: {
        available: "1250.75",
        pending: "0",
        lifetime: "1250.75",
        tier: { id: tier.id, name: "Gold" },
        status: "active",
        expiring: { amount: "0", date: null },
      },
    });
    const [event] = await syncEvents().then((events) => events.filter((e) => e.memberId === member.id));
    expect(event).toMatchObject({ status: "delivered", attempts: 0, lastError: null });
    expect(event?.deliveredAt).not.toBeNull();
  });

  it("GIVEN points expiring within 30 days and pending points WHEN synced THEN expiring amount, date and pending are exact", async () => {
    const { customer, identifier, member } = await shopifyMember();
    await give(identifier, 40);
    const expiresAt = new Date(Date.now() + 10 * 86_400_000);
    await db.lot.updateMany({ where: { memberId: member.id }, data: { expiresAt } });
    await db.customer.update({ where: { id: member.id }, data: { pendingCenti: pts("2.5") } });

    await syncMemberMetafields(db, { shopId });

    expect(loyaltyOf(customer.id)?.value).toMatchObject({
      available: "40",
      pending: "2.5",
      expiring: { amount: "40", date: expiresAt.toISOString() },
    });
  });

  it("GIVEN ten changes to one member in quick succession WHEN synced THEN one metafieldsSet write with the final balance", async () => {
    const { customer, identifier } = await shopifyMember();
    for (let i = 1; i <= 10; i++) await give(identifier, i);
    expect((await syncEvents()).filter((event) => event.status === "pending")).toHaveLength(10);

    const report = await syncMemberMetafields(db, { shopId });

    const writes = setCalls()
      .flat()
      .filter((input) => input.ownerId === customer.id);
    expect(writes).toHaveLength(1);
    expect(setCalls()).toHaveLength(1);
    expect(JSON.parse(writes[0]?.value ?? "{}")).toMatchObject({ available: "55", lifetime: "55" });
    expect(report).toMatchObject({ written: 1, delivered: 10 });
    expect((await syncEvents()).filter((event) => event.status !== "delivered")).toEqual([]);
  });

  it("GIVEN 60 members with changes WHEN synced THEN three metafieldsSet calls of 25, 25 and 10", async () => {
    const members = [];
    for (let i = 0; i < 60; i++) members.push(await shopifyMember());
    for (const [index, { identifier }] of members.entries()) await give(identifier, index + 1);

    const report = await syncMemberMetafields(db, { shopId });

    expect(setCalls().map((inputs) => inputs.length)).toEqual([25, 25, 10]);
    expect(report).toMatchObject({ written: 60, delivered: 60, calls: 3 });
    for (const [index, { customer }] of members.entries()) {
      expect(loyaltyOf(customer.id)?.value.available).toBe(String(index + 1));
    }
    expect(
      new Set(
        setCalls()
          .flat()
          .map((input) => `${input.namespace}.${input.key}.${input.type}`),
      ),
    ).toEqual(new Set(["$app.loyalty.json"]));
  });

  it("GIVEN a limit WHEN synced THEN at most that many events' members are taken, the rest wait for the next run", async () => {
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await shopifyMember());
    for (const { identifier } of members) await give(identifier, 5);

    expect(await syncMemberMetafields(db, { shopId, limit: 2 })).toMatchObject({ written: 2, delivered: 2 });
    expect(await syncMemberMetafields(db, { shopId, limit: 2 })).toMatchObject({ written: 1, delivered: 1 });
    expect(await syncMemberMetafields(db, { shopId, limit: 2 })).toMatchObject({ written: 0, calls: 0 });
  });

  it("GIVEN two syncs at once WHEN both run THEN no member is written twice for the same events and every event is delivered once", async () => {
    const members = [];
    for (let i = 0; i < 30; i++) members.push(await shopifyMember());
    for (const { identifier } of members) {
      await give(identifier, 3);
      await give(identifier, 4);
    }

    const reports = await Promise.all([syncMemberMetafields(db, { shopId }), syncMemberMetafields(db, { shopId })]);

    const owners = setCalls()
      .flat()
      .map((input) => input.ownerId);
    expect(owners).toHaveLength(30);
    expect(new Set(owners).size).toBe(30);
    expect(reports[0].written + reports[1].written).toBe(30);
    expect(reports[0].delivered + reports[1].delivered).toBe(60);
    expect((await syncEvents()).filter((event) => event.status !== "delivered")).toEqual([]);
    for (const { customer } of members) expect(loyaltyOf(customer.id)?.value.available).toBe("7");
  });

  it("GIVEN events one run claimed WHEN another run claims the same events (together or after) THEN each event goes to exactly one run", async () => {
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await shopifyMember());
    for (const { identifier } of members) await give(identifier, 1);
    const ids = (await syncEvents()).filter((event) => event.status === "pending").map((event) => event.id);
    expect(ids).toHaveLength(4);
    const now = new Date();

    const [first, second] = await Promise.all([claimSyncEvents(db, ids, now), claimSyncEvents(db, ids, now)]);
    const later = await claimSyncEvents(db, ids, now);

    expect([...first, ...second].map((event) => event.id).sort()).toEqual([...ids].sort());
    expect(later).toEqual([]);
  });

  it("GIVEN a run writing to Shopify WHEN another run starts meanwhile THEN the second does not touch the leased events", async () => {
    const { customer, identifier } = await shopifyMember();
    await give(identifier, 2);
    const { admin } = await unauthenticated.admin(shopify.shop);
    let inner: Awaited<ReturnType<typeof syncMemberMetafields>> | undefined;

    const outer = await syncMemberMetafields(db, {
      shopId,
      graphqlFor: async () => {
        inner = await syncMemberMetafields(db, { shopId });
        return admin.graphql;
      },
    });

    expect(inner).toMatchObject({ written: 0, delivered: 0, calls: 0 });
    expect(outer).toMatchObject({ written: 1, delivered: 1 });
    expect(
      setCalls()
        .flat()
        .filter((input) => input.ownerId === customer.id),
    ).toHaveLength(1);
  });

  it("GIVEN a run that died holding a lease WHEN the lease has run out THEN another run delivers the events", async () => {
    const { customer, identifier } = await shopifyMember();
    await give(identifier, 2);
    const ids = (await syncEvents()).filter((event) => event.status === "pending").map((event) => event.id);
    const now = new Date();
    expect(await claimSyncEvents(db, ids, now)).toHaveLength(1);

    expect(await syncMemberMetafields(db, { shopId, now })).toMatchObject({ calls: 0 });
    const report = await syncMemberMetafields(db, { shopId, now: new Date(now.getTime() + SYNC_LEASE_MS) });

    expect(report).toMatchObject({ written: 1, delivered: 1 });
    expect(loyaltyOf(customer.id)?.value.available).toBe("2");
  });

  it("GIVEN Shopify down WHEN synced THEN events stay pending with attempts + 1 and a backoff, are retried later, and die after N attempts", async () => {
    const { customer, identifier, member } = await shopifyMember();
    await give(identifier, 9);
    await shopify.simulator.setFault("down");
    let now = new Date(Date.now() + 1000);

    expect(await syncMemberMetafields(db, { shopId, now })).toMatchObject({ written: 0, retried: 1, dead: 0 });
    let [event] = (await syncEvents()).filter((e) => e.memberId === member.id);
    expect(event).toMatchObject({ status: "pending", attempts: 1 });
    expect(event?.availableAt.getTime()).toBe(now.getTime() + syncBackoffMs(1));
    expect(event?.lastError).toMatch(/Shopify is unavailable/);

    // Not due yet: nothing is tried.
    shopify.simulator.resetLog();
    expect(await syncMemberMetafields(db, { shopId, now })).toMatchObject({ calls: 0, retried: 0 });

    for (let attempt = 2; attempt <= MAX_SYNC_ATTEMPTS; attempt++) {
      now = new Date(now.getTime() + syncBackoffMs(attempt - 1));
      await syncMemberMetafields(db, { shopId, now });
      [event] = (await syncEvents()).filter((e) => e.memberId === member.id);
      expect(event?.attempts).toBe(attempt);
    }
    expect(event).toMatchObject({ status: "dead", attempts: MAX_SYNC_ATTEMPTS });
    expect(event?.lastError).toMatch(/Shopify is unavailable/);

    // Dead events are not retried, even with Shopify back.
    await shopify.simulator.setFault("up");
    expect(await syncMemberMetafields(db, { shopId, now: new Date(now.getTime() + 86_400_000) })).toMatchObject({
      calls: 0,
    });
    expect(loyaltyOf(customer.id)).toBeNull();
  });

  it("GIVEN Shopify down once WHEN it is back at the retry THEN the metafield is written with the current balance", async () => {
    const { customer, identifier } = await shopifyMember();
    await give(identifier, 9);
    await shopify.simulator.setFault("down");
    const now = new Date(Date.now() + 1000);
    await syncMemberMetafields(db, { shopId, now });
    await give(identifier, 1);
    await shopify.simulator.setFault("up");

    const report = await syncMemberMetafields(db, { shopId, now: new Date(now.getTime() + syncBackoffMs(1)) });

    expect(report).toMatchObject({ written: 1, delivered: 2 });
    expect(loyaltyOf(customer.id)?.value.available).toBe("10");
  });

  it("GIVEN Shopify throttling WHEN synced THEN events wait without losing an attempt and are written once the bucket refills", async () => {
    const { customer, identifier, member } = await shopifyMember();
    await give(identifier, 8);
    await shopify.simulator.setFault("throttled");
    const now = new Date(Date.now() + 1000);

    expect(await syncMemberMetafields(db, { shopId, now })).toMatchObject({ written: 0, retried: 1, dead: 0 });
    const [event] = (await syncEvents()).filter((e) => e.memberId === member.id);
    expect(event).toMatchObject({ status: "pending", attempts: 0 });
    expect(event?.availableAt.getTime()).toBeGreaterThan(now.getTime());
    expect(event?.lastError).toMatch(/throttling/);

    await shopify.simulator.setFault("up");
    await syncMemberMetafields(db, { shopId, now: new Date(now.getTime() + 60_000) });
    expect(loyaltyOf(customer.id)?.value.available).toBe("8");
  });

  it("GIVEN a member without a Shopify customer id WHEN synced THEN it is skipped: no call, its events delivered with the reason", async () => {
    const member = await createMember(db, shopId, { email: `guest${Math.random()}@example.com` });
    await db.customer.update({ where: { id: member.id }, data: { shopifyCustomerId: null } });
    await adjustPoints(db, { shopId, identifier: member.email ?? "", deltaCenti: pts(3), actor: "test" });

    const report = await syncMemberMetafields(db, { shopId });

    expect(report).toMatchObject({ written: 0, skipped: 1, delivered: 1, calls: 0 });
    expect(setCalls()).toEqual([]);
    const [event] = (await syncEvents()).filter((e) => e.memberId === member.id);
    expect(event).toMatchObject({ status: "delivered", lastError: "skipped: member has no Shopify customer id" });
  });

  it("GIVEN a member whose Shopify customer is gone WHEN synced with others THEN Shopify's userError fails only that member; the others are written", async () => {
    const gone = await createMember(db, shopId, { shopifyCustomerId: "999999999" });
    await give("999999999", 2);
    const { customer, identifier } = await shopifyMember();
    await give(identifier, 6);

    const report = await syncMemberMetafields(db, { shopId });

    expect(report).toMatchObject({ written: 1, retried: 1 });
    expect(loyaltyOf(customer.id)?.value.available).toBe("6");
    const [event] = (await syncEvents()).filter((e) => e.memberId === gone.id);
    expect(event).toMatchObject({ status: "pending", attempts: 1 });
    expect(event?.lastError).toMatch(/Owner does not exist/);
  });

  it("GIVEN events of another shop WHEN one shop is synced THEN the other shop's events are untouched", async () => {
    const other = await db.shop.create({ data: { domain: `other-${Date.now()}.myshopify.com` } });
    const stranger = await createMember(db, other.id, {});
    await db.outboxEvent.create({
      data: { shopId: other.id, memberId: stranger.id, topic: MEMBER_SYNC_TOPIC, payload: "{}" },
    });

    await syncMemberMetafields(db, { shopId });

    expect(await db.outboxEvent.findFirst({ where: { shopId: other.id } })).toMatchObject({
      status: "pending",
      attempts: 0,
    });
  });
});

describe("metafield definitions and the program metafield", () => {
  beforeEach(async () => {
    await shopify.simulator.setFault("up");
    shopify.simulator.resetLog();
  });

  it("GIVEN an install WHEN set-up runs twice THEN both definitions exist once, storefront-readable, and the second run is no error", async () => {
    const { admin } = await unauthenticated.admin(shopify.shop);
    expect(await setUpMetafields(db, shopId, admin.graphql)).toEqual(["CUSTOMER.loyalty", "SHOP.program"]);
    expect(await setUpMetafields(db, shopId, admin.graphql)).toEqual([]);

    const definitions = shopify.state.data(shopify.shop).metafieldDefinitions.map((d) => ({
      ownerType: d.ownerType,
      namespace: d.namespace,
      key: d.key,
      type: d.type.name,
      storefront: d.access.storefront,
    }));
    expect(definitions).toEqual([
      { ownerType: "CUSTOMER", namespace: "app--1", key: "loyalty", type: "json", storefront: "PUBLIC_READ" },
      { ownerType: "SHOP", namespace: "app--1", key: "program", type: "json", storefront: "PUBLIC_READ" },
    ]);
  });

  it("GIVEN Shopify down WHEN set-up runs THEN it throws and creates nothing", async () => {
    const { admin } = await unauthenticated.admin(shopify.shop);
    await shopify.simulator.setFault("down");
    await expect(syncProgramMetafield(db, shopId, { graphql: admin.graphql })).rejects.toThrow(
      /Shopify is unavailable/,
    );
  });

  it("GIVEN a catalogue WHEN the program metafield is synced THEN its content is exact: active rules, rewards, tiers, currency, expiry; no secrets", async () => {
    await Promise.all([
      db.earningRule.deleteMany({ where: { shopId } }),
      db.reward.deleteMany({ where: { shopId } }),
      db.vipTier.deleteMany({ where: { shopId } }),
    ]);
    const shop = await db.shop.update({
      where: { id: shopId },
      data: { currencyCode: "EUR", expiryPolicy: "after_earning", expiryMonths: 12 },
    });
    const secret = await createKey(db, shop.id, "full");
    const signup = await createEarningRule(db, shop.id, {
      name: "Sign up",
      category: "signup",
      action: "create_account",
      pointsCenti: pts(200),
      customerFacingLabel: "Create an account",
    });
    const purchase = await createEarningRule(db, shop.id, {
      name: "Purchase",
      category: "purchase",
      action: "place_order",
      pointsCenti: 0n,
      pointsPerUnitCenti: pts("1.5"),
    });
    await createEarningRule(db, shop.id, { name: "Retired", isActive: false });
    await createEarningRule(db, shop.id, { name: "Deleted", deletedAt: new Date() });
    const fiveOff = await createReward(db, shop.id, { name: "5 € off", minimumSpendMinor: 2000n });
    const tenPercent = await createReward(db, shop.id, {
      name: "12.5% off",
      discountType: "percentage",
      discountAmountMinor: null,
      discountPercentBp: 1250,
      pointsCostCenti: pts(1000),
    });
    await createReward(db, shop.id, { name: "Off", isActive: false });
    const silver = await createTier(db, shop.id, { name: "Silver", threshold: pts(500), multiplierBp: 12_500 });
    const bronze = await createTier(db, shop.id, { name: "Bronze", threshold: 0n });

    const value = await syncProgramMetafield(db, shop.id);

    const expected = {
      currency: "EUR",
      expiry: { policy: "after_earning", months: 12 },
      earning_rules: [
        {
          id: signup.id,
          label: "Create an account",
          category: "signup",
          action: "create_account",
          points: "200",
          points_per_unit: null,
          url: null,
        },
        {
          id: purchase.id,
          label: "Purchase",
          category: "purchase",
          action: "place_order",
          points: null,
          points_per_unit: "1.5",
          url: null,
        },
      ],
      rewards: [
        {
          id: fiveOff.id,
          name: "5 € off",
          description: null,
          type: "fixed_amount",
          points_cost: "500",
          amount: "5.00",
          percentage: null,
          minimum_spend: "20.00",
          variable: null,
          vip_tier_id: null,
        },
        {
          id: tenPercent.id,
          name: "12.5% off",
          description: null,
          type: "percentage",
          points_cost: "1000",
          amount: null,
          percentage: "12.5",
          minimum_spend: null,
          variable: null,
          vip_tier_id: null,
        },
      ],
      vip_tiers: {
        basis: "lifetime_points",
        tiers: [
          {
            id: bronze.id,
            name: "Bronze",
            description: null,
            threshold: "0",
            multiplier: "1",
            badge_color: null,
            badge_image_url: null,
          },
          {
            id: silver.id,
            name: "Silver",
            description: null,
            threshold: "500",
            multiplier: "1.25",
            badge_color: null,
            badge_image_url: null,
          },
        ],
      },
    };
    expect(value).toEqual(expected);
    const stored = shopify.state.findMetafield(
      shopify.shop,
      shopify.state.data(shopify.shop).shop.id,
      "$app",
      "program",
    );
    expect(stored?.type).toBe("json");
    expect(stored?.ownerType).toBe("SHOP");
    expect(JSON.parse(stored?.value ?? "null")).toEqual(expected);
    // Nothing secret or per-customer: no API key, no access token, no member.
    expect(stored?.value).not.toContain(secret);
    expect(stored?.value).not.toContain(secret.slice(0, 12));
    expect(stored?.value).not.toMatch(/shpat_|token|secret|email/i);
  });
});
