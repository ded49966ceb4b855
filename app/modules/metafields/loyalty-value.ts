import { formatPoints } from "~/modules/ledger/math/points";

/**
 * The customer metafield `$app:loyalty` (type json) that themes and the storefront widget read.
 * Points are exact decimal strings written from centipoints ("1250.5"), never floats: Liquid's
 * `| plus: 0` turns them into numbers where a theme needs arithmetic.
 */
export interface LoyaltyMetafieldValue {
  available: string;
  pending: string;
  lifetime: string;
  tier: { id: string; name: string } | null;
  status: string;
  expiring: { amount: string; date: string | null };
}

export function loyaltyMetafieldValue(input: {
  availableCenti: bigint;
  pendingCenti: bigint;
  lifetimeCenti: bigint;
  status: string;
  tier: { id: string; name: string } | null;
  expiringCenti: bigint;
  nextExpiryAt: Date | null;
}): LoyaltyMetafieldValue {
  return {
    available: formatPoints(input.availableCenti),
    pending: formatPoints(input.pendingCenti),
    lifetime: formatPoints(input.lifetimeCenti),
    tier: input.tier ? { id: input.tier.id, name: input.tier.name } : null,
    status: input.status,
    expiring: { amount: formatPoints(input.expiringCenti), date: input.nextExpiryAt?.toISOString() ?? null },
  };
}
