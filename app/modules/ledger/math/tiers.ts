export interface TierThreshold {
  id: string;
  /** The standing (lifetime centipoints or spend, by the shop's basis) from which the tier applies. */
  threshold: bigint;
}

/** The tier a standing earns: the highest threshold at or below it (lowest id on a tie), or null. */
export function evaluateTier<T extends TierThreshold>(tiers: readonly T[], standing: bigint): T | null {
  let best: T | null = null;
  for (const tier of tiers) {
    if (tier.threshold > standing) continue;
    // Two tiers on one threshold is a merchant mistake; picking by id keeps the answer stable whatever order the database returns.
    if (best === null || tier.threshold > best.threshold || (tier.threshold === best.threshold && tier.id < best.id)) {
      best = tier;
    }
  }
  return best;
}

export type TierMove = "upgrade" | "downgrade" | "none";

/** Whether going from one tier to another is an upgrade; null is "no tier", below every tier. */
export function tierMove(fromThreshold: bigint | null, toThreshold: bigint | null): TierMove {
  if (fromThreshold === toThreshold) return "none";
  if (fromThreshold === null) return "upgrade";
  if (toThreshold === null) return "downgrade";
  return toThreshold > fromThreshold ? "upgrade" : "downgrade";
}
