import { pointsToJsonNumber } from "~/modules/ledger/math";

// Mage's `reward_history_entry` (seed 002's response), for purchase and the reward history.

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

export function rewardHistoryEntry(row: RewardHistoryRow) {
  return {
    type: "reward_history_entry",
    id: row.id,
    attributes: {
      reward_id: row.rewardId,
      reward_name: row.rewardName,
      reward_discount_type: row.discountType,
      points_spent: pointsToJsonNumber(row.pointsSpentCenti),
      discount_code: row.discountCode,
      status: row.status === "refunded" ? (row.usedAt ? "used" : "active") : row.status,
      is_refunded: row.status === "refunded",
      discount_code_redeemed_at: iso(row.usedAt),
      redeemed_at: iso(row.usedAt),
      expires_at: iso(row.expiresAt),
      created_at: iso(row.createdAt),
      updated_at: iso(row.updatedAt),
    },
  };
}
