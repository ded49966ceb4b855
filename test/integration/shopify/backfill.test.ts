import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { database } from "~/db.server";
import { periodicJobs } from "~/jobs/jobs.server";
import {
  BACKFILL_JOB,
  BACKFILL_LEASE_MS,
  BACKFILL_RETRY_MS,
  backfillState,
  enqueueBackfill,
  runCustomerBackfill,
  runPendingBackfills,
} from "~/modules/backfill/backfill.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { shopifyCallPolicy } from "~/shopify/discounts.server";
import { unauthenticated } from "~/shopify.server";

import { createMember, installShop } from "../../helpers/factories";
import { simulateShopify } from "../../helpers/shopify";

const db = database();
const shopify = simulateShopify();
let shopId: string;
let graphql: AdminGraphql;

const PAGE = "BackfillCustomersPage";
const CUSTOMERS = 130;
const numericId = (gid: string) => gid.split("/").at(-1) ?? "";

/** The customers pages the simulated Admin API served since the last reset, with their `after`. */
const pageCalls = () =>
  shopify.simulator.operations
    .filter((operation) => operation.operationName === PAGE)
    .map((operation) => (operation.variables as { after?: string | null }).after ?? null);

const members = () => db.customer.findMany({ where: { shopId }, orderBy: { shopifyCustomerId: "asc" } });

/** An Admin API client that runs `before(n)` ahead of its n-th call (1-based). */
function graphqlWith(before: (call: number) => Promise<void>): AdminGraphql {
  let calls = 0;
  return (async (...args: Parameters<AdminGraphql>) => {
    calls += 1;
    await before(calls);
    return graphql(...args);
  }) as AdminGraphql;
}

describe("customer backfill on install", () => {
  let customerGids: string[] = [];

  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    graphql = (await unauthenticated.admin(shopify.shop)).admin.graphql;
    for (let index = 0; index < CUSTOMERS; index++) {
      // Two customers without an email: members all the same.
      const email = index % 65 === 3 ? null : `customer${index}@example.com`;
      customerGids.push(shopify.state.addCustomer(shopify.shop, { email, firstName: `C${index}` }).id);
    }
    customerGids = [...customerGids];
  });

  beforeEach(async () => {
    await db.customer.deleteMany({ where: { shopId } });
    await db.jobState.deleteMany({ where: { shopId } });
    await shopify.simulator.setFault("up");
    shopify.simulator.resetLog();
  });

  afterEach(() => vi.restoreAllMocks());

  it("GIVEN 130 Shopify customers and one member with the same email (other case) WHEN the backfill runs with pages of 50 THEN 130 members, 3 pages, the member linked, progress recorded", async () => {
    const linkedGid = customerGids[10] ?? "";
    const existing = await db.customer.create({
      data: { shopId, email: "Customer10@Example.com", emailNormalized: "customer10@example.com" },
    });

    const report = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });

    expect(report).toEqual({ outcome: "done", pages: 3, created: 129, linked: 1, existing: 0, skipped: 0 });
    expect(pageCalls()).toHaveLength(3);
    const all = await members();
    expect(all).toHaveLength(CUSTOMERS);
    expect(new Set(all.map((m) => m.shopifyCustomerId))).toEqual(new Set(customerGids.map(numericId)));
    const linked = all.filter((m) => m.shopifyCustomerId === numericId(linkedGid));
    expect(linked.map((m) => m.id)).toEqual([existing.id]);
    const mirrored = all.find((m) => m.shopifyCustomerId === numericId(customerGids[20] ?? ""));
    expect(mirrored).toMatchObject({
      email: "customer20@example.com",
      emailNormalized: "customer20@example.com",
      firstName: "C20",
    });
    expect(all.filter((m) => m.email === null)).toHaveLength(2);

    const state = await backfillState(db, shopId);
    expect(state).toMatchObject({
      status: "done",
      processed: CUSTOMERS,
      total: CUSTOMERS,
      cursor: null,
      lastError: null,
    });
    expect(state?.startedAt).toBeInstanceOf(Date);
    expect(state?.finishedAt?.getTime()).toBeGreaterThanOrEqual(state?.startedAt?.getTime() ?? Infinity);
  });

  it("GIVEN a finished backfill WHEN it runs again THEN it pages nothing; WHEN restarted THEN it pages everything and enrols nobody new", async () => {
    await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });
    const before = (await members()).map((m) => [m.id, m.shopifyCustomerId]);
    shopify.simulator.resetLog();

    expect(await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 })).toMatchObject({
      outcome: "already_done",
      pages: 0,
    });
    expect(pageCalls()).toEqual([]);

    const again = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50, restart: true });
    expect(again).toEqual({ outcome: "done", pages: 3, created: 0, linked: 0, existing: CUSTOMERS, skipped: 0 });
    expect((await members()).map((m) => [m.id, m.shopifyCustomerId])).toEqual(before);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "done", processed: CUSTOMERS });
  });

  it("GIVEN Shopify goes down on page 2 THEN the backfill fails keeping page 1's cursor; the next run resumes from page 2 and ends with exactly 130 members", async () => {
    const failing = graphqlWith(async (call) => {
      if (call === 2) await shopify.simulator.setFault("down");
    });

    const first = await runCustomerBackfill(db, { shopId, graphql: failing, pageSize: 50 });

    expect(first).toMatchObject({ outcome: "failed", pages: 1, created: 50 });
    expect(first.error).toMatch(/ShopifyUnavailableError/);
    const failed = await backfillState(db, shopId);
    expect(failed).toMatchObject({ status: "failed", processed: 50, total: CUSTOMERS, leaseUntil: null });
    expect(failed?.cursor).toEqual(expect.any(String));
    expect(failed?.lastError).toMatch(/ShopifyUnavailableError/);
    expect(await db.customer.count({ where: { shopId } })).toBe(50);

    await shopify.simulator.setFault("up");
    shopify.simulator.resetLog();
    const second = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });

    expect(second).toEqual({ outcome: "done", pages: 2, created: 80, linked: 0, existing: 0, skipped: 0 });
    expect(pageCalls()[0]).toBe(failed?.cursor);
    expect(await db.customer.count({ where: { shopId } })).toBe(CUSTOMERS);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "done", processed: CUSTOMERS, lastError: null });
  });

  it("GIVEN Shopify keeps throttling THEN the backfill waits as told, then fails with nothing enrolled, and succeeds once Shopify answers", async () => {
    const waits: number[] = [];
    vi.spyOn(shopifyCallPolicy, "sleep").mockImplementation(async (ms) => {
      waits.push(ms);
    });
    await shopify.simulator.setFault("throttled");

    const report = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });

    expect(report.outcome).toBe("failed");
    expect(waits).toHaveLength(shopifyCallPolicy.maxThrottleRetries);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "failed", processed: 0, cursor: null });
    expect(await db.customer.count({ where: { shopId } })).toBe(0);

    await shopify.simulator.setFault("up");
    expect((await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 })).created).toBe(CUSTOMERS);
  });

  it("GIVEN two runs at once THEN exactly one pages and the other answers already running", async () => {
    const reports = await Promise.all([
      runCustomerBackfill(db, { shopId, graphql, pageSize: 50 }),
      runCustomerBackfill(db, { shopId, graphql, pageSize: 50 }),
    ]);

    expect(reports.map((r) => r.outcome).sort()).toEqual(["already_running", "done"]);
    expect(reports.find((r) => r.outcome === "already_running")?.pages).toBe(0);
    expect(pageCalls()).toHaveLength(3);
    expect(await db.customer.count({ where: { shopId } })).toBe(CUSTOMERS);
  });

  it("GIVEN a run in progress (lease held) THEN another run does not page; GIVEN its lease lapsed (the worker died) THEN another run takes over from its cursor", async () => {
    const paused = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50, maxPages: 1 });
    const cursor = (await backfillState(db, shopId))?.cursor;
    const now = new Date();
    await db.jobState.updateMany({
      where: { shopId, job: BACKFILL_JOB },
      data: { status: "running", leaseUntil: new Date(now.getTime() + BACKFILL_LEASE_MS) },
    });
    shopify.simulator.resetLog();

    expect(paused.outcome).toBe("paused");
    expect((await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 })).outcome).toBe("already_running");
    expect(pageCalls()).toEqual([]);

    const later = () => new Date(now.getTime() + BACKFILL_LEASE_MS + 1);
    const taken = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50, now: later });
    expect(taken).toMatchObject({ outcome: "done", pages: 2, created: 80 });
    expect(pageCalls()[0]).toBe(cursor);
  });

  it("GIVEN maxPages THEN the run stops pending with its cursor and the worker job finishes it; failed backfills wait BACKFILL_RETRY_MS; uninstalled shops are left alone", async () => {
    const paused = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50, maxPages: 2 });
    expect(paused).toMatchObject({ outcome: "paused", pages: 2, created: 100 });
    const pending = await backfillState(db, shopId);
    expect(pending).toMatchObject({ status: "pending", processed: 100, leaseUntil: null });
    expect(pending?.cursor).toEqual(expect.any(String));

    shopify.simulator.resetLog();
    const ran = await runPendingBackfills(db, new Date(), { graphqlFor: async () => graphql, pageSize: 50 });
    expect(ran).toEqual([expect.objectContaining({ shopId, outcome: "done", pages: 1, created: 30 })]);
    expect(pageCalls()).toEqual([pending?.cursor]);
    expect(await runPendingBackfills(db, new Date(), { graphqlFor: async () => graphql })).toEqual([]);

    // A failed backfill: not retried at once, retried after BACKFILL_RETRY_MS.
    await db.jobState.updateMany({
      where: { shopId, job: BACKFILL_JOB },
      data: { status: "failed", cursor: pending?.cursor ?? null, processed: 100 },
    });
    const failedAt = (await backfillState(db, shopId))?.updatedAt ?? new Date();
    expect(await runPendingBackfills(db, failedAt, { graphqlFor: async () => graphql })).toEqual([]);
    const retryAt = new Date(failedAt.getTime() + BACKFILL_RETRY_MS);
    await db.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    try {
      expect(await runPendingBackfills(db, retryAt, { graphqlFor: async () => graphql })).toEqual([]);
    } finally {
      await db.shop.update({ where: { id: shopId }, data: { uninstalledAt: null } });
    }
    const retried = await runPendingBackfills(db, retryAt, { graphqlFor: async () => graphql, pageSize: 50 });
    expect(retried).toEqual([expect.objectContaining({ shopId, outcome: "done", pages: 1, existing: 30 })]);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "done", processed: CUSTOMERS });
  });

  it("GIVEN a Shopify customer whose email belongs to a member of another Shopify customer THEN no duplicate is made and the member keeps its id", async () => {
    const other = await createMember(db, shopId, { shopifyCustomerId: "999999999", email: "customer5@example.com" });

    const report = await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });

    expect(report).toMatchObject({ outcome: "done", created: 129, skipped: 1 });
    expect(await db.customer.count({ where: { shopId, emailNormalized: "customer5@example.com" } })).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: other.id } })).shopifyCustomerId).toBe("999999999");
  });

  it("GIVEN an install THEN enqueueBackfill marks it pending once, without calling Shopify, and never resets a started one", async () => {
    expect(await enqueueBackfill(db, shopId)).toBe(true);
    expect(await enqueueBackfill(db, shopId)).toBe(false);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "pending", cursor: null, processed: 0 });
    expect(shopify.simulator.operations).toHaveLength(0);

    await runCustomerBackfill(db, { shopId, graphql, pageSize: 50 });
    expect(await enqueueBackfill(db, shopId)).toBe(false);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "done", processed: CUSTOMERS });
  });

  it("GIVEN a queued backfill WHEN the worker's periodic job runs THEN it enrols every customer with the shop's offline session", async () => {
    await enqueueBackfill(db, shopId);
    const job = periodicJobs().find((candidate) => candidate.name === "backfill");

    await job?.run(db, new Date());

    expect(job).toBeDefined();
    expect(await db.customer.count({ where: { shopId } })).toBe(CUSTOMERS);
    expect(await backfillState(db, shopId)).toMatchObject({ status: "done", processed: CUSTOMERS, total: CUSTOMERS });
  });
});
