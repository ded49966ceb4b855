/**
 * How a fractional result becomes an integer. The modes are symmetric about zero, so a reversal
 * rounds exactly like the earning it undoes:
 * - "down": toward zero (truncate);
 * - "up": away from zero;
 * - "nearest": to the nearest integer, ties away from zero;
 * - "half_even": to the nearest integer, ties to the even one (banker's rounding).
 */
export type RoundingMode = "down" | "up" | "nearest" | "half_even";

export const ROUNDING_MODES: readonly RoundingMode[] = ["down", "up", "nearest", "half_even"];

/** numerator / denominator rounded to an integer with the mode; denominator must be positive. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError(`divideRounded needs a positive denominator, got ${denominator}`);
  // Modes come from stored shop settings; an unknown one must fail even on divisions that happen to be exact.
  if (!ROUNDING_MODES.includes(mode)) throw new RangeError(`Unknown rounding mode ${JSON.stringify(mode)}`);
  // BigInt division truncates toward zero and the remainder takes the numerator's sign.
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const away = quotient + (numerator < 0n ? -1n : 1n);
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  switch (mode) {
    case "down":
      return quotient;
    case "up":
      return away;
    case "nearest":
      return twiceRemainder >= denominator ? away : quotient;
    case "half_even":
      if (twiceRemainder !== denominator) return twiceRemainder > denominator ? away : quotient;
      return quotient % 2n === 0n ? quotient : away;
  }
}
