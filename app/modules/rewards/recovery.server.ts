import type { Database } from "~/db.server";
import { RewardNotRefundableError } from "~/modules/ledger";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { ShopifyUnavailableError } from "~/shopify/discounts.server";

import { fulfilReservation } from "./purchase.server";

export type ResumeOutcome = "activated" | "cancelled" | "unavailable" | "skipped";

export interface ResumeResult {
  customerRewardId: string;
  outcome: ResumeOutcome;
}

async function defaultGraphqlFor(shopDomain: string): Promise<AdminGraphql> {
  const { unauthenticated } = await import("~/shopify.server");
  return (await unauthenticated.admin(shopDomain)).admin.graphql;
}

/**
 * Finishes purchases interrupted between reserving points and getting their Shopify discount (a
 * crash): every reservation still pending that was created and last touched before `olderThan`
 * (give it more than DISCOUNT_TIMEOUT_MS). Each is claimed with a conditional update (so that two
 * workers never work on the same one), its code looked up in Shopify first (or its store credit),
 * then it is activated with the discount found or created, or cancelled — points back — when
 * Shopify refuses. Shopify unreachable leaves it pending for the next run. Idempotent.
 */
export async function resumeInterruptedPurchases(
  db: Database,
  options: {
    shopId?: string;
    olderThan: Date;
    limit?: number;
    actor?: string;
    graphqlFor?: (shopDomain: string) => Promise<AdminGraphql>;
  },
): Promise<ResumeResult[]> {
  const actor = options.actor ?? "system:purchase-recovery";
  const graphqlFor = options.graphqlFor ?? defaultGraphqlFor;
  const stuck = await db.customerReward.findMany({
    where: {
      status: "pending",
      createdAt: { lt: options.olderThan },
      updatedAt: { lt: options.olderThan },
      ...(options.shopId ? { shopId: options.shopId } : {}),
    },
    select: { id: true, shopId: true, updatedAt: true, shop: { select: { domain: true } } },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 100,
  });
  const results: ResumeResult[] = [];
  for (const row of stuck) {
    // The claim: only the worker whose update still sees the old updatedAt goes on. A claimed row
    // is left alone for another grace period, so a worker that dies holding it does not block it.
    const { count } = await db.customerReward.updateMany({
      where: { id: row.id, shopId: row.shopId, status: "pending", updatedAt: row.updatedAt },
      data: { updatedAt: new Date() },
    });
    if (count !== 1) {
      results.push({ customerRewardId: row.id, outcome: "skipped" });
      continue;
    }
    results.push({ customerRewardId: row.id, outcome: await resumeOne(db, graphqlFor, row, actor) });
  }
  return results;
}

async function resumeOne(
  db: Database,
  graphqlFor: (shopDomain: string) => Promise<AdminGraphql>,
  row: { id: string; shopId: string; shop: { domain: string } },
  actor: string,
): Promise<ResumeOutcome> {
  try {
    const graphql = await graphqlFor(row.shop.domain);
    const settled = await fulfilReservation(db, graphql, row.shopId, row.id, { actor, lookUpFirst: true });
    return settled.status === "active" ? "activated" : "skipped";
  } catch (error) {
    if (error instanceof ShopifyUnavailableError) return "unavailable";
    if (error instanceof RewardNotRefundableError) return "skipped";
    const now = await db.customerReward.findUnique({ where: { id: row.id }, select: { status: true } });
    if (now?.status === "failed") return "cancelled";
    throw error;
  }
}
