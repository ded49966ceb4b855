import type { EarningHistoryEntry } from "~/modules/ledger/earn.server";
import { formatMultiplier, pointsToJsonNumber } from "~/modules/ledger/math";

// Mage Loyalty's JSON:API shapes (../shared/seeds/000-002, ../shared/reference/compatible-apis.md).

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** seed 000/001: `earning_history_entry`. */
export function earningHistoryEntry(entry: EarningHistoryEntry) {
  return {
    type: "earning_history_entry",
    id: entry.id,
    attributes: {
      earning_rule_id: entry.earningRuleId,
      action: entry.action,
      order_id: entry.orderId,
      points: pointsToJsonNumber(entry.pointsCenti),
      base_points: pointsToJsonNumber(entry.basePointsCenti),
      points_multiplier: formatMultiplier(BigInt(entry.multiplierBp)),
      status: entry.status,
      points_given_at: iso(entry.givenAt),
      points_due_at: iso(entry.dueAt),
      points_expiry_at: iso(entry.expiresAt),
      created_at: iso(entry.createdAt),
      updated_at: iso(entry.updatedAt),
    },
  };
}

/** GET /customers/{identifier}: the member with balances, tier and status. */
export function customerResource(balances: {
  member: {
    id: string;
    shopifyCustomerId: string | null;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    status: string;
    dateOfBirth: string | null;
    anniversaryDate: string | null;
    createdAt: Date;
    updatedAt: Date;
  };
  availableCenti: bigint;
  pendingCenti: bigint;
  lifetimeCenti: bigint;
  redeemedCenti: bigint;
  expiringSoonCenti: bigint;
  nextExpiryAt: Date | null;
  tier: { id: string; name: string } | null;
}) {
  const { member } = balances;
  return {
    type: "customer",
    id: member.shopifyCustomerId ?? member.id,
    attributes: {
      shopify_customer_id: member.shopifyCustomerId,
      email: member.email,
      first_name: member.firstName,
      last_name: member.lastName,
      points: pointsToJsonNumber(balances.availableCenti),
      pending_points: pointsToJsonNumber(balances.pendingCenti),
      lifetime_points: pointsToJsonNumber(balances.lifetimeCenti),
      redeemed_points: pointsToJsonNumber(balances.redeemedCenti),
      expiring_points: pointsToJsonNumber(balances.expiringSoonCenti),
      points_expire_at: iso(balances.nextExpiryAt),
      vip_tier: balances.tier ? { id: balances.tier.id, name: balances.tier.name } : null,
      loyalty_status: member.status === "active" ? "member" : "excluded",
      is_excluded: member.status !== "active",
      date_of_birth: member.dateOfBirth,
      anniversary_date: member.anniversaryDate,
      created_at: iso(member.createdAt),
      updated_at: iso(member.updatedAt),
    },
  };
}
