import type { Database } from "~/db.server";
import { pointsToJsonNumber } from "~/modules/ledger/math";

import { collection, enumFilter, parsePage, parseSort } from "./mage-paging";

// Mage's `reward_history_entry` (seed 002's response), for purchase, the reward history and refunds.

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export interface RewardHistoryRow {
  id: string;
  rewardId: string;
  rewardName: string;
  discountType: string;
  pointsSpentCenti: bigint;
  discountCode: string | null;
  status: string;
  usedAt: Date | null;
  expiresAt: Date | null;
  refundedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const REWARD_HISTORY_STATUSES = ["active", "used", "expired"] as const;
export type RewardHistoryStatus = (typeof REWARD_HISTORY_STATUSES)[number];

/**
 * What Mage calls the entry's status: a refunded reward keeps the status it had (is_refunded says
 * it was refunded), and an active one past its expiry date is expired even before a job marks it.
 */
export function rewardHistoryStatus(
  row: { status: string; usedAt: Date | null; expiresAt: Date | null },
  at = new Date(),
): string {
  if (row.status === "refunded") return row.usedAt ? "used" : "active";
  if (row.status === "active" && row.expiresAt && row.expiresAt <= at) return "expired";
  return row.status;
}

export function rewardHistoryEntry(row: RewardHistoryRow, at = new Date()) {
  return {
    type: "reward_history_entry",
    id: row.id,
    attributes: {
      reward_id: row.rewardId,
      reward_name: row.rewardName,
      reward_discount_type: row.discountType,
      points_spent: pointsToJsonNumber(row.pointsSpentCenti),
      discount_code: row.discountCode,
      status: rewardHistoryStatus(row, at),
      is_refunded: row.status === "refunded",
      discount_code_redeemed_at: iso(row.usedAt),
      redeemed_at: iso(row.usedAt),
      expires_at: iso(row.expiresAt),
      created_at: iso(row.createdAt),
      updated_at: iso(row.updatedAt),
    },
  };
}

/** The rows whose rewardHistoryStatus is `status` (Prisma where), the inverse of that function. */
function statusWhere(status: RewardHistoryStatus, at: Date) {
  if (status === "active") {
    return {
      OR: [
        { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
        { status: "refunded", usedAt: null },
      ],
    };
  }
  if (status === "used") return { OR: [{ status: "used" }, { status: "refunded", usedAt: { not: null } }] };
  return { OR: [{ status: "expired" }, { status: "active", expiresAt: { lte: at } }] };
}

/** What the history shows: bought rewards, not purchases still reserving points or that failed. */
export const SHOWN_REWARD_STATUSES = ["active", "used", "expired", "refunded"];

/**
 * GET /customers/{identifier}/reward-history: the member's purchased rewards, newest first, with
 * filter[status]; two queries a page.
 */
export async function rewardHistoryCollection(db: Database, shopId: string, memberId: string, url: URL) {
  const at = new Date();
  const page = parsePage(url);
  const orderBy = parseSort(url, { created_at: "createdAt", points_spent: "pointsSpentCenti" }, "-created_at");
  const status = enumFilter(url, "status", REWARD_HISTORY_STATUSES);
  const where = {
    shopId,
    memberId,
    status: { in: SHOWN_REWARD_STATUSES },
    ...(status ? statusWhere(status, at) : {}),
  };
  const [total, rows] = await Promise.all([
    db.customerReward.count({ where }),
    db.customerReward.findMany({
      where,
      orderBy,
      skip: page.skip,
      take: page.take,
      include: { reward: { select: { name: true, discountType: true } } },
    }),
  ]);
  const data = rows.map((row) =>
    rewardHistoryEntry({ ...row, rewardName: row.reward.name, discountType: row.reward.discountType }, at),
  );
  return collection(url, page, data, total);
}
