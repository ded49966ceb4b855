/**
 * Calendar arithmetic in UTC, so an expiry date does not depend on the server's time zone or
 * daylight-saving shifts.
 */

const DAY_MS = 86_400_000;

function requireValidDate(date: Date, what: string): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`${what} needs a valid date`);
  return time;
}

function requireInteger(value: number, what: string) {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number, got ${value}`);
}

function daysInMonth(year: number, monthIndex: number): number {
  if (monthIndex === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIndex] ?? 31;
}

/** Adds calendar months in UTC, keeping the time of day and clamping the day to the target month's end (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  requireValidDate(date, "addMonths");
  requireInteger(months, "months");
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, monthIndex));
  const result = new Date(date.getTime());
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999; setting all three at
  // once avoids an intermediate day overflowing into the next month.
  result.setUTCFullYear(year, monthIndex, day);
  requireValidDate(result, "addMonths result");
  return result;
}

/** Adds whole 24-hour days (UTC has no daylight-saving shifts). */
export function addDays(date: Date, days: number): Date {
  const time = requireValidDate(date, "addDays");
  requireInteger(days, "days");
  const result = new Date(time + days * DAY_MS);
  requireValidDate(result, "addDays result");
  return result;
}

export type ExpiryPolicy =
  { kind: "none" } | { kind: "after_earning"; months: number } | { kind: "after_inactivity"; months: number };

export const EXPIRY_MONTHS_MIN = 1;
export const EXPIRY_MONTHS_MAX = 120;

export class InvalidExpiryPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidExpiryPolicyError";
  }
}

/** When a lot earned at `earnedAt` expires on its own; null when it never does or inactivity decides. */
export function lotExpiresAt(policy: ExpiryPolicy, earnedAt: Date): Date | null {
  // Inactivity expiry moves with every member activity, so it cannot be stamped on a lot.
  return policy.kind === "after_earning" ? addMonths(earnedAt, policy.months) : null;
}

/** When a member's points expire for inactivity, counted from their last activity; null under other policies. */
export function inactivityExpiresAt(policy: ExpiryPolicy, lastActivityAt: Date): Date | null {
  return policy.kind === "after_inactivity" ? addMonths(lastActivityAt, policy.months) : null;
}

/** Checks an untrusted policy (API body, stored JSON) and returns a clean copy of it. */
export function validateExpiryPolicy(policy: unknown): ExpiryPolicy {
  if (typeof policy !== "object" || policy === null) {
    throw new InvalidExpiryPolicyError("Expiry policy must be an object with a kind");
  }
  const { kind, months } = policy as { kind?: unknown; months?: unknown };
  if (kind === "none") return { kind };
  if (kind !== "after_earning" && kind !== "after_inactivity") {
    throw new InvalidExpiryPolicyError(
      `Expiry policy kind must be "none", "after_earning" or "after_inactivity", got ${JSON.stringify(kind) ?? "nothing"}`,
    );
  }
  if (
    typeof months !== "number" ||
    !Number.isInteger(months) ||
    months < EXPIRY_MONTHS_MIN ||
    months > EXPIRY_MONTHS_MAX
  ) {
    throw new InvalidExpiryPolicyError(
      `Expiry months must be a whole number from ${EXPIRY_MONTHS_MIN} to ${EXPIRY_MONTHS_MAX}, got ${JSON.stringify(months) ?? "nothing"}`,
    );
  }
  return { kind, months };
}
