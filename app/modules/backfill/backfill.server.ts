import type { Database } from "~/db.server";
import { normaliseEmail } from "~/modules/customers/customers.server";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { fetchCustomersPage, type ShopifyCustomerSummary } from "~/shopify/customers.server";

export const BACKFILL_JOB = "backfill";
const KEY = "";
/** Customers per Admin API page, unless told otherwise (Shopify allows up to 250). */
export const BACKFILL_PAGE_SIZE = 100;
/** A run holds the job this long per page; a run that died is taken over once it lapses. */
export const BACKFILL_LEASE_MS = 5 * 60_000;
/** A failed backfill is tried again by the worker this long after it failed. */
export const BACKFILL_RETRY_MS = 5 * 60_000;
/** Pages one worker run goes through before leaving the rest (from the cursor) to the next run. */
export const BACKFILL_PAGES_PER_RUN = 20;

export type BackfillOutcome = "done" | "paused" | "failed" | "already_running" | "already_done";

export interface BackfillReport {
  outcome: BackfillOutcome;
  /** Pages fetched by this run. */
  pages: number;
  /** Members created by this run. */
  created: number;
  /** Existing members (matched by email) that got their Shopify customer id. */
  linked: number;
  /** Customers that were already members. */
  existing: number;
  /** Customers left out: their email belongs to a member of another Shopify customer. */
  skipped: number;
  error?: string;
}

export interface BackfillOptions {
  shopId: string;
  /** The shop's Admin API client; the offline session's by default. */
  graphql?: AdminGraphql;
  pageSize?: number;
  /** Stop (status pending, cursor kept) after this many pages. */
  maxPages?: number;
  /** Start again from the first page even when a previous backfill is done. */
  restart?: boolean;
  now?: () => Date;
}

async function offlineGraphql(db: Database, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { unauthenticated } = await import("~/shopify.server");
  return (await unauthenticated.admin(shop.domain)).admin.graphql;
}

const where = (shopId: string) => ({ shopId_job_key: { shopId, job: BACKFILL_JOB, key: KEY } });

/** The shop's backfill progress, or null when none was ever asked for. */
export const backfillState = (db: Database, shopId: string) => db.jobState.findUnique({ where: where(shopId) });

/**
 * Asks for the shop's customer backfill (on install): a pending JobState the worker picks up.
 * Does nothing when one exists already (running, done or failed; a failed one is retried by the
 * worker). Never calls Shopify, so it cannot slow the install down.
 */
export async function enqueueBackfill(db: Database, shopId: string) {
  try {
    await db.jobState.create({ data: { shopId, job: BACKFILL_JOB, key: KEY, status: "pending" } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

type Enrolment = "created" | "linked" | "existing" | "skipped";

/**
 * Makes one Shopify customer a member without duplicating anyone: a member with this Shopify id
 * is left as it is; a member without a Shopify id and with the same email (any case) gets the id;
 * otherwise a new member. A concurrent customers/create webhook that wins the unique index is
 * treated as "existing".
 */
async function enrol(db: Database, shopId: string, customer: ShopifyCustomerSummary): Promise<Enrolment> {
  const { shopifyCustomerId } = customer;
  for (let attempt = 0; attempt < 2; attempt++) {
    const member = await db.customer.findUnique({
      where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
      select: { id: true },
    });
    if (member) return "existing";
    const emailNormalized = normaliseEmail(customer.email);
    if (emailNormalized) {
      const byEmail = await db.customer.findUnique({
        where: { shopId_emailNormalized: { shopId, emailNormalized } },
        select: { id: true, shopifyCustomerId: true },
      });
      if (byEmail?.shopifyCustomerId) return "skipped";
      if (byEmail) {
        // Conditional: only while the member still has no Shopify id.
        const { count } = await db.customer.updateMany({
          where: { id: byEmail.id, shopId, shopifyCustomerId: null },
          data: { shopifyCustomerId },
        });
        if (count === 1) return "linked";
        continue;
      }
    }
    try {
      await db.customer.create({
        data: {
          shopId,
          shopifyCustomerId,
          email: customer.email?.trim() || null,
          emailNormalized,
          firstName: customer.firstName,
          lastName: customer.lastName,
        },
      });
      return "created";
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return "existing";
}

/**
 * Enrols the shop's existing Shopify customers as members, page by page (Admin GraphQL
 * `customers`), recording progress in JobState (job "backfill", key ""): status, the endCursor of
 * the last finished page, processed, total (customersCount), startedAt/finishedAt, lastError.
 *
 * Resumable: a run that fails (Shopify down), stops at maxPages or dies continues from the
 * recorded cursor next time. Exclusive: a run takes the job with a conditional update (not
 * running, or its lease lapsed) and each page's progress is written only while it still holds
 * that lease, so two runs never page at once. Enrolment is idempotent, so a page redone after a
 * crash creates nobody twice.
 */
export async function runCustomerBackfill(db: Database, options: BackfillOptions): Promise<BackfillReport> {
  const { shopId } = options;
  const now = options.now ?? (() => new Date());
  const pageSize = Math.min(Math.max(options.pageSize ?? BACKFILL_PAGE_SIZE, 1), 250);
  const report: BackfillReport = { outcome: "done", pages: 0, created: 0, linked: 0, existing: 0, skipped: 0 };

  await enqueueBackfill(db, shopId);
  const state = await db.jobState.findUniqueOrThrow({ where: where(shopId) });
  const startedAt = now();
  let lease = new Date(startedAt.getTime() + BACKFILL_LEASE_MS);
  const restarting = options.restart === true || state.status === "done";
  if (state.status === "done" && !options.restart) return { ...report, outcome: "already_done" };

  const claimable = [{ status: { in: ["idle", "pending", "failed", ...(restarting ? ["done"] : [])] } }];
  const { count } = await db.jobState.updateMany({
    where: {
      id: state.id,
      OR: [...claimable, { status: "running", OR: [{ leaseUntil: null }, { leaseUntil: { lt: startedAt } }] }],
    },
    data: {
      status: "running",
      leaseUntil: lease,
      lastError: null,
      finishedAt: null,
      ...(restarting || state.startedAt === null ? { startedAt, cursor: null, processed: 0 } : {}),
    },
  });
  if (count !== 1) {
    const current = await db.jobState.findUniqueOrThrow({ where: where(shopId) });
    return { ...report, outcome: current.status === "done" ? "already_done" : "already_running" };
  }

  // Where the previous run left off, read after the claim: no run can move it any more.
  let cursor = (await db.jobState.findUniqueOrThrow({ where: where(shopId) })).cursor;
  try {
    const graphql = options.graphql ?? (await offlineGraphql(db, shopId));
    for (;;) {
      if (options.maxPages !== undefined && report.pages >= options.maxPages) {
        const { count: held } = await db.jobState.updateMany({
          where: { id: state.id, status: "running", leaseUntil: lease },
          data: { status: "pending", leaseUntil: null },
        });
        return { ...report, outcome: held === 1 ? "paused" : "already_running" };
      }
      const page = await fetchCustomersPage(graphql, { first: pageSize, after: cursor });
      for (const customer of page.customers) report[await enrol(db, shopId, customer)] += 1;
      report.pages += 1;
      const nextLease = new Date(now().getTime() + BACKFILL_LEASE_MS);
      const finished = !page.hasNextPage || !page.endCursor;
      const { count: held } = await db.jobState.updateMany({
        where: { id: state.id, status: "running", leaseUntil: lease },
        data: {
          processed: { increment: page.customers.length },
          ...(page.total !== null ? { total: page.total } : {}),
          ...(finished
            ? { status: "done", cursor: null, leaseUntil: null, finishedAt: now() }
            : { cursor: page.endCursor, leaseUntil: nextLease }),
        },
      });
      // Another run took the job over (our lease lapsed): it carries on; we stop.
      if (held !== 1) return { ...report, outcome: "already_running" };
      if (finished) return { ...report, outcome: "done" };
      lease = nextLease;
      cursor = page.endCursor;
    }
  } catch (error) {
    // Lazily: the worker module pulls in every webhook handler, which the install hook does not need.
    const { describeError } = await import("~/jobs/worker.server");
    const lastError = describeError(error);
    await db.jobState.updateMany({
      where: { id: state.id, status: "running", leaseUntil: lease },
      data: { status: "failed", leaseUntil: null, lastError },
    });
    return { ...report, outcome: "failed", error: lastError };
  }
}

/**
 * The worker's periodic job: runs the backfills that wait (pending), failed at least
 * BACKFILL_RETRY_MS ago, or were left running by a worker that died (lease lapsed), of installed
 * shops, BACKFILL_PAGES_PER_RUN pages each.
 */
export async function runPendingBackfills(
  db: Database,
  now: Date = new Date(),
  options: { graphqlFor?: (shopId: string) => Promise<AdminGraphql>; pageSize?: number; maxPages?: number } = {},
) {
  const due = await db.jobState.findMany({
    where: {
      job: BACKFILL_JOB,
      key: KEY,
      shop: { uninstalledAt: null },
      OR: [
        { status: "pending" },
        { status: "failed", updatedAt: { lte: new Date(now.getTime() - BACKFILL_RETRY_MS) } },
        { status: "running", leaseUntil: { lt: now } },
      ],
    },
    select: { shopId: true },
    orderBy: { updatedAt: "asc" },
    take: 10,
  });
  const reports: (BackfillReport & { shopId: string })[] = [];
  for (const { shopId } of due) {
    const graphql = options.graphqlFor ? await options.graphqlFor(shopId) : undefined;
    const report = await runCustomerBackfill(db, {
      shopId,
      ...(graphql ? { graphql } : {}),
      pageSize: options.pageSize,
      maxPages: options.maxPages ?? BACKFILL_PAGES_PER_RUN,
    });
    reports.push({ shopId, ...report });
  }
  return reports;
}
