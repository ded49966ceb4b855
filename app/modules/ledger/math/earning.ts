import { currencyExponent } from "./money";
import { formatFixedDecimal, InvalidAmountError, parseFixedDecimal, POINT, type Centipoints } from "./points";
import { divideRounded, type RoundingMode } from "./rounding";

/** Whole points (the default, what merchants expect to see) or exact centipoints. */
export type RoundTo = "point" | "centipoint";

export interface PurchasePointsInput {
  /** The amount that earns, in the currency's minor units. */
  eligibleMinor: bigint;
  currency: string;
  /** Centipoints earned per one whole currency unit: 500n = 5 points per 1.00. */
  pointsPerUnit: bigint;
  rounding: RoundingMode;
  roundTo?: RoundTo;
}

// Rounds numerator / denominator centipoints to the requested granularity in a single division, so
// there is never a second rounding of an already rounded value.
function roundCentipoints(numerator: bigint, denominator: bigint, rounding: RoundingMode, roundTo: RoundTo) {
  return roundTo === "point"
    ? divideRounded(numerator, denominator * POINT, rounding) * POINT
    : divideRounded(numerator, denominator, rounding);
}

/** Centipoints a purchase earns: eligible amount × rate, rounded once with the rule's mode. */
export function purchasePoints(input: PurchasePointsInput): Centipoints {
  const { eligibleMinor, currency, pointsPerUnit, rounding, roundTo = "point" } = input;
  if (pointsPerUnit < 0n) throw new RangeError(`pointsPerUnit must not be negative, got ${pointsPerUnit}`);
  const scale = 10n ** BigInt(currencyExponent(currency));
  if (eligibleMinor <= 0n) return 0n;
  return roundCentipoints(eligibleMinor * pointsPerUnit, scale, rounding, roundTo);
}

export interface EligibleAmountInput {
  subtotalMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  discountsMinor: bigint;
  includeShipping: boolean;
  includeTax: boolean;
}

/** The part of an order that earns points: subtotal less discounts, plus shipping and tax if the rule counts them; never negative. */
export function eligibleAmount(input: EligibleAmountInput): bigint {
  let amount = input.subtotalMinor - input.discountsMinor;
  if (input.includeShipping) amount += input.shippingMinor;
  if (input.includeTax) amount += input.taxMinor;
  return amount > 0n ? amount : 0n;
}

/** A multiplier in basis points: 10000n is ×1, 15000n is ×1.5. */
export type MultiplierBp = bigint;

export const MULTIPLIER_ONE: MultiplierBp = 10_000n;
const MULTIPLIER_MAX: MultiplierBp = 100n * MULTIPLIER_ONE;

export class InvalidMultiplierError extends InvalidAmountError {
  constructor(message: string) {
    super(message);
    this.name = "InvalidMultiplierError";
  }
}

/** Scales centipoints by a basis-point multiplier, rounded once to whole points (default) or centipoints. */
export function applyMultiplier(
  baseCenti: Centipoints,
  multiplierBp: MultiplierBp,
  rounding: RoundingMode,
  roundTo: RoundTo = "point",
): Centipoints {
  if (multiplierBp < 0n) throw new RangeError(`A multiplier must not be negative, got ${multiplierBp} bp`);
  return roundCentipoints(baseCenti * multiplierBp, MULTIPLIER_ONE, rounding, roundTo);
}

/** Parses a multiplier such as "1.5" or 1.5 (above 0, at most 100, at most 4 decimals) into basis points. */
export function parseMultiplier(input: string | number): MultiplierBp {
  let bp: bigint;
  try {
    bp = parseFixedDecimal(input, 4, { label: "multiplier" });
  } catch (error) {
    if (error instanceof InvalidAmountError) throw new InvalidMultiplierError(error.message);
    throw error;
  }
  if (bp <= 0n || bp > MULTIPLIER_MAX) {
    throw new InvalidMultiplierError(
      `Invalid multiplier: ${formatFixedDecimal(bp, 4, true)} must be above 0 and at most 100`,
    );
  }
  return bp;
}

/** A basis-point multiplier as a JSON number (15000n → 1.5); throws when a double cannot carry it exactly. */
export function formatMultiplier(multiplierBp: MultiplierBp): number {
  const text = formatFixedDecimal(multiplierBp, 4, true);
  const value = Number(text);
  if (String(value) !== text) throw new RangeError(`Multiplier ${text} cannot be represented exactly as a JSON number`);
  return value;
}
