import { providerOfClient, type Database } from "~/db.server";
import { inTransaction } from "~/modules/ledger/transaction.server";
import { EXPIRING_SOON_DAYS } from "~/modules/ledger/members.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  MEMBER_METAFIELD_KEY,
  METAFIELDS_PER_CALL,
  MetafieldsRejectedError,
  MetafieldsThrottledError,
  setJsonMetafields,
} from "~/shopify/metafields.server";

import { loyaltyMetafieldValue } from "./loyalty-value";

export const MEMBER_SYNC_TOPIC = "member.sync";
/** After this many failed deliveries an event is dead (kept, with its last error). */
export const MAX_SYNC_ATTEMPTS = 6;
/** A claimed event whose worker has not finished after this long is offered to other workers again. */
export const SYNC_LEASE_MS = 5 * 60_000;
/** Events (not members) one run looks at, unless told otherwise. */
export const DEFAULT_SYNC_LIMIT = 500;

/** Wait before the next try after `attempts` failures: 30 s, 1 min, 2 min … at most 1 h. */
export const syncBackoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);

export type GraphqlForShop = (domain: string) => Promise<AdminGraphql>;

async function offlineAdmin(domain: string) {
  const { unauthenticated } = await import("~/shopify.server");
  return (await unauthenticated.admin(domain)).admin.graphql;
}

export interface SyncOptions {
  shopId?: string;
  now?: Date;
  limit?: number;
  /** The shop's Admin API client; the offline session's by default. */
  graphqlFor?: GraphqlForShop;
}

export interface SyncReport {
  /** Members whose metafield was written. */
  written: number;
  /** Members skipped (no Shopify customer id, or gone); their events are delivered. */
  skipped: number;
  /** Events delivered (written or skipped). */
  delivered: number;
  /** Events put back for a later try. */
  retried: number;
  /** Events that reached MAX_SYNC_ATTEMPTS. */
  dead: number;
  /** metafieldsSet calls made (successful or not). */
  calls: number;
}

interface ClaimedEvent {
  id: string;
  shopId: string;
  memberId: string | null;
  attempts: number;
}

/**
 * Delivers pending `member.sync` outbox events: each member's CURRENT balances go to the Shopify
 * customer's `$app:loyalty` metafield, one write per member however many events it has, ≤ 25 per
 * metafieldsSet call. Events are claimed with a conditional update (pending → delivering with a
 * lease), so concurrent runs never write a member twice for the same events. Shopify down or
 * refusing → events go back with a backoff and attempts + 1 (dead after MAX_SYNC_ATTEMPTS);
 * throttled → back at the time Shopify names, without counting an attempt.
 */
export async function syncMemberMetafields(db: Database, options: SyncOptions = {}): Promise<SyncReport> {
  const now = options.now ?? new Date();
  const graphqlFor = options.graphqlFor ?? offlineAdmin;
  const report: SyncReport = { written: 0, skipped: 0, delivered: 0, retried: 0, dead: 0, calls: 0 };
  const scope = { topic: MEMBER_SYNC_TOPIC, ...(options.shopId ? { shopId: options.shopId } : {}) };

  // A worker that died mid-delivery: its lease ran out, the events are pending again.
  await db.outboxEvent.updateMany({
    where: { ...scope, status: "delivering", availableAt: { lte: now } },
    data: { status: "pending" },
  });

  const due = await db.outboxEvent.findMany({
    where: { ...scope, status: "pending", availableAt: { lte: now } },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? DEFAULT_SYNC_LIMIT,
    select: { id: true, shopId: true, memberId: true },
  });
  if (due.length === 0) return report;
  // Every due event of the chosen members, so that one write answers all of them.
  const memberIds = [...new Set(due.flatMap((event) => (event.memberId ? [event.memberId] : [])))];
  const siblings =
    memberIds.length > 0
      ? await db.outboxEvent.findMany({
          where: { ...scope, status: "pending", availableAt: { lte: now }, memberId: { in: memberIds } },
          select: { id: true },
        })
      : [];
  const claimed = await claimSyncEvents(db, [...new Set([...due, ...siblings].map((event) => event.id))], now);

  const byShop = new Map<string, ClaimedEvent[]>();
  for (const event of claimed) byShop.set(event.shopId, [...(byShop.get(event.shopId) ?? []), event]);
  for (const [shopId, events] of byShop) await syncShop(db, shopId, events, now, graphqlFor, report);
  return report;
}

/** pending → delivering for those of `ids` no one else claimed first; returns the ones this run owns. */
export async function claimSyncEvents(db: Database, ids: string[], now: Date): Promise<ClaimedEvent[]> {
  const claimed: ClaimedEvent[] = [];
  const postgres = providerOfClient(db) === "postgresql";
  for (let start = 0; start < ids.length; start += 200) {
    const slice = ids.slice(start, start + 200);
    const placeholders = slice.map((_, i) => (postgres ? `$${i + 1}` : "?")).join(", ");
    const rows = await inTransaction(db, async (tx) => {
      const won = await tx.$queryRawUnsafe<ClaimedEvent[]>(
        `UPDATE "OutboxEvent" SET "status" = 'delivering' WHERE "status" = 'pending' AND "id" IN (${placeholders}) ` +
          `RETURNING "id", "shopId", "memberId", "attempts"`,
        ...slice,
      );
      // The lease, in the same transaction: a lease-expiry sweep never sees a claim without one.
      if (won.length > 0) {
        await tx.outboxEvent.updateMany({
          where: { id: { in: won.map((event) => event.id) } },
          data: { availableAt: new Date(now.getTime() + SYNC_LEASE_MS) },
        });
      }
      return won;
    });
    claimed.push(...rows.map((row) => ({ ...row, attempts: Number(row.attempts) })));
  }
  return claimed;
}

interface MemberWrite {
  memberId: string;
  ownerId: string;
  value: string;
  events: ClaimedEvent[];
}

async function syncShop(
  db: Database,
  shopId: string,
  events: ClaimedEvent[],
  now: Date,
  graphqlFor: GraphqlForShop,
  report: SyncReport,
) {
  const memberIds = [...new Set(events.flatMap((event) => (event.memberId ? [event.memberId] : [])))];
  const horizon = new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const [shop, members, expiring] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId }, select: { domain: true } }),
    db.customer.findMany({
      where: { shopId, id: { in: memberIds } },
      include: { vipTier: { select: { id: true, name: true } } },
    }),
    db.lot.groupBy({
      by: ["memberId"],
      where: {
        shopId,
        memberId: { in: memberIds },
        status: "approved",
        remainingCenti: { gt: 0n },
        expiresAt: { gt: now, lte: horizon },
      },
      _sum: { remainingCenti: true },
      _min: { expiresAt: true },
    }),
  ]);

  const writes: MemberWrite[] = [];
  const skipped: { events: ClaimedEvent[]; reason: string }[] = [];
  const eventsOf = (memberId: string | null) => events.filter((event) => event.memberId === memberId);
  if (eventsOf(null).length > 0) skipped.push({ events: eventsOf(null), reason: "skipped: event names no member" });
  for (const memberId of memberIds) {
    const member = members.find((candidate) => candidate.id === memberId);
    if (!member) {
      skipped.push({ events: eventsOf(memberId), reason: "skipped: member no longer exists" });
      continue;
    }
    if (!member.shopifyCustomerId) {
      skipped.push({ events: eventsOf(memberId), reason: "skipped: member has no Shopify customer id" });
      continue;
    }
    const soon = expiring.find((group) => group.memberId === memberId);
    const value = loyaltyMetafieldValue({
      availableCenti: member.availableCenti,
      pendingCenti: member.pendingCenti,
      lifetimeCenti: member.lifetimeCenti,
      status: member.status,
      tier: member.vipTier,
      expiringCenti: BigInt(soon?._sum.remainingCenti ?? 0n),
      nextExpiryAt: soon?._min.expiresAt ? new Date(soon._min.expiresAt) : null,
    });
    writes.push({
      memberId,
      ownerId: `gid://shopify/Customer/${member.shopifyCustomerId}`,
      value: JSON.stringify(value),
      events: eventsOf(memberId),
    });
  }

  for (const skip of skipped) {
    await markDelivered(db, skip.events, now, skip.reason);
    report.skipped += new Set(skip.events.map((event) => event.memberId)).size;
    report.delivered += skip.events.length;
  }
  if (writes.length === 0) return;

  let graphql: AdminGraphql;
  try {
    if (!shop) throw new Error("the shop no longer exists");
    graphql = await graphqlFor(shop.domain);
  } catch (error) {
    await markFailed(
      db,
      writes.flatMap((write) => write.events),
      now,
      error,
      report,
    );
    return;
  }

  let pending = writes;
  while (pending.length > 0) {
    const chunk = pending.slice(0, METAFIELDS_PER_CALL);
    pending = pending.slice(METAFIELDS_PER_CALL);
    const outcome = await writeChunk(db, graphql, chunk, now, report);
    if (outcome.stopped) {
      // Shopify is down or throttling: the rest of this shop waits too, without another call.
      await putBack(db, pending, now, report, outcome.error);
      return;
    }
  }
}

/** Writes one chunk (≤ 25 members); inputs Shopify refuses are failed and the rest re-sent once. */
async function writeChunk(
  db: Database,
  graphql: AdminGraphql,
  chunk: MemberWrite[],
  now: Date,
  report: SyncReport,
): Promise<{ stopped: false } | { stopped: true; error: unknown }> {
  let remaining = chunk;
  for (let round = 0; round < 2 && remaining.length > 0; round++) {
    report.calls += 1;
    try {
      await setJsonMetafields(
        graphql,
        remaining.map((write) => ({ ownerId: write.ownerId, key: MEMBER_METAFIELD_KEY, value: write.value })),
      );
      await markDelivered(
        db,
        remaining.flatMap((write) => write.events),
        now,
        null,
      );
      report.written += remaining.length;
      report.delivered += remaining.reduce((total, write) => total + write.events.length, 0);
      return { stopped: false };
    } catch (error) {
      const indexes = error instanceof MetafieldsRejectedError ? error.inputIndexes : null;
      if (indexes && round === 0 && indexes.length < remaining.length) {
        const refused = remaining.filter((_, index) => indexes.includes(index));
        await markFailed(
          db,
          refused.flatMap((write) => write.events),
          now,
          error,
          report,
        );
        remaining = remaining.filter((_, index) => !indexes.includes(index));
        continue;
      }
      if (error instanceof MetafieldsRejectedError) {
        await markFailed(
          db,
          remaining.flatMap((write) => write.events),
          now,
          error,
          report,
        );
        return { stopped: false };
      }
      await putBack(db, remaining, now, report, error);
      return { stopped: true, error };
    }
  }
  return { stopped: false };
}

async function putBack(db: Database, writes: MemberWrite[], now: Date, report: SyncReport, error: unknown) {
  const events = writes.flatMap((write) => write.events);
  if (events.length === 0) return;
  if (error instanceof MetafieldsThrottledError) {
    // Throttling is Shopify pacing us, not the event failing: no attempt is counted.
    await db.outboxEvent.updateMany({
      where: { id: { in: events.map((event) => event.id) }, status: "delivering" },
      data: {
        status: "pending",
        availableAt: new Date(now.getTime() + error.retryAfterMs),
        lastError: error.message,
      },
    });
    report.retried += events.length;
    return;
  }
  await markFailed(db, events, now, error, report);
}

async function markDelivered(db: Database, events: ClaimedEvent[], now: Date, note: string | null) {
  if (events.length === 0) return;
  await db.outboxEvent.updateMany({
    where: { id: { in: events.map((event) => event.id) }, status: "delivering" },
    data: { status: "delivered", deliveredAt: now, lastError: note },
  });
}

/** attempts + 1; back to pending after a backoff, or dead at MAX_SYNC_ATTEMPTS. */
async function markFailed(db: Database, events: ClaimedEvent[], now: Date, error: unknown, report: SyncReport) {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  const byAttempts = new Map<number, string[]>();
  for (const event of events) byAttempts.set(event.attempts, [...(byAttempts.get(event.attempts) ?? []), event.id]);
  for (const [attempts, ids] of byAttempts) {
    const next = attempts + 1;
    const dead = next >= MAX_SYNC_ATTEMPTS;
    await db.outboxEvent.updateMany({
      where: { id: { in: ids }, status: "delivering" },
      data: dead
        ? { status: "dead", attempts: next, lastError: message }
        : {
            status: "pending",
            attempts: next,
            lastError: message,
            availableAt: new Date(now.getTime() + syncBackoffMs(next)),
          },
    });
    if (dead) report.dead += ids.length;
    else report.retried += ids.length;
  }
}
