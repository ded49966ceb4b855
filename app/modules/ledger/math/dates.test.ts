import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";

import {
  addDays,
  addMonths,
  inactivityExpiresAt,
  InvalidExpiryPolicyError,
  lotExpiresAt,
  validateExpiryPolicy,
  type ExpiryPolicy,
} from "./dates";

const at = (iso: string) => new Date(iso);
const monthIndexOf = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
const timeOfDay = (date: Date) =>
  date.getTime() - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
const date = fc.date({ min: at("1900-01-01T00:00:00Z"), max: at("2300-12-31T23:59:59.999Z"), noInvalidDate: true });
const months = fc.integer({ min: -1_200, max: 1_200 });

describe("addMonths", () => {
  it.each([
    ["2026-01-31T10:20:30.456Z", 1, "2026-02-28T10:20:30.456Z"],
    ["2028-01-31T10:20:30.456Z", 1, "2028-02-29T10:20:30.456Z"],
    ["2026-03-31T00:00:00.000Z", -1, "2026-02-28T00:00:00.000Z"],
    ["2026-05-31T00:00:00.000Z", 1, "2026-06-30T00:00:00.000Z"],
    ["2026-12-15T08:00:00.000Z", 1, "2027-01-15T08:00:00.000Z"],
    ["2026-01-15T08:00:00.000Z", 12, "2027-01-15T08:00:00.000Z"],
    ["2026-01-15T08:00:00.000Z", -13, "2024-12-15T08:00:00.000Z"],
    ["2026-01-15T08:00:00.000Z", 120, "2036-01-15T08:00:00.000Z"],
    ["2099-01-31T00:00:00.000Z", 13, "2100-02-28T00:00:00.000Z"],
    ["2000-01-31T00:00:00.000Z", 1, "2000-02-29T00:00:00.000Z"],
    ["2026-01-31T23:30:00.000Z", 0, "2026-01-31T23:30:00.000Z"],
  ])("GIVEN %s plus %i months THEN it is %s", (start, count, expected) => {
    expect(addMonths(at(start), count).toISOString()).toBe(expected);
  });

  it("GIVEN a date THEN it is not modified", () => {
    const start = at("2026-01-31T00:00:00Z");
    addMonths(start, 1);
    expect(start.toISOString()).toBe("2026-01-31T00:00:00.000Z");
  });

  describe("GIVEN a server time zone far from UTC", () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it("WHEN the UTC date is a different local day THEN the calendar is still UTC's", () => {
      process.env.TZ = "Pacific/Kiritimati";
      // Already 1 February in UTC+14, still 31 January in UTC.
      expect(addMonths(at("2026-01-31T23:30:00Z"), 1).toISOString()).toBe("2026-02-28T23:30:00.000Z");
      process.env.TZ = "America/New_York";
      // A local-time implementation would shift an hour across the March daylight-saving change.
      expect(addMonths(at("2026-02-15T12:00:00Z"), 1).toISOString()).toBe("2026-03-15T12:00:00.000Z");
    });
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])("GIVEN %d months THEN it throws a RangeError", (count) => {
    expect(() => addMonths(at("2026-01-01T00:00:00Z"), count)).toThrow(RangeError);
  });

  it("GIVEN an invalid date or a result beyond what Date holds THEN it throws a RangeError", () => {
    expect(() => addMonths(new Date(Number.NaN), 1)).toThrow(RangeError);
    expect(() => addMonths(new Date(8.64e15), 1)).toThrow(RangeError);
  });

  it("GIVEN any date and month count THEN the month moves by exactly that count, the time of day stays, and the day is clamped", () => {
    fc.assert(
      fc.property(date, months, (start, count) => {
        const result = addMonths(start, count);
        expect(monthIndexOf(result)).toBe(monthIndexOf(start) + count);
        expect(timeOfDay(result)).toBe(timeOfDay(start));
        const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
        expect(result.getUTCDate()).toBe(Math.min(start.getUTCDate(), lastDay));
      }),
    );
  });

  it("GIVEN a day of month every month has THEN going back the same number of months returns the original date", () => {
    const early = date.filter((d) => d.getUTCDate() <= 28);
    fc.assert(
      fc.property(
        early,
        months,
        (start, count) => addMonths(addMonths(start, count), -count).getTime() === start.getTime(),
      ),
    );
  });
});

describe("addDays", () => {
  it("GIVEN a date THEN whole days are added in UTC", () => {
    expect(addDays(at("2026-03-07T12:00:00Z"), 1).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    expect(addDays(at("2026-03-01T12:00:00Z"), -1).toISOString()).toBe("2026-02-28T12:00:00.000Z");
    expect(addDays(at("2028-02-28T12:00:00Z"), 1).toISOString()).toBe("2028-02-29T12:00:00.000Z");
  });

  it("GIVEN a fractional day count or an invalid date THEN it throws a RangeError", () => {
    expect(() => addDays(at("2026-01-01T00:00:00Z"), 0.5)).toThrow(RangeError);
    expect(() => addDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it("GIVEN any date and day count THEN the result is exactly that many 24-hour days later", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -100_000, max: 100_000 }), (start, days) => {
        return addDays(start, days).getTime() - start.getTime() === days * 86_400_000;
      }),
    );
  });
});

describe("expiry policies", () => {
  const earnedAt = at("2026-01-31T09:00:00Z");

  it("GIVEN expiry after earning THEN a lot expires that many months after it was earned", () => {
    expect(lotExpiresAt({ kind: "after_earning", months: 12 }, earnedAt)?.toISOString()).toBe(
      "2027-01-31T09:00:00.000Z",
    );
    expect(lotExpiresAt({ kind: "after_earning", months: 1 }, earnedAt)?.toISOString()).toBe(
      "2026-02-28T09:00:00.000Z",
    );
    expect(inactivityExpiresAt({ kind: "after_earning", months: 12 }, earnedAt)).toBeNull();
  });

  it("GIVEN expiry after inactivity THEN lots carry no date and the member's points expire months after the last activity", () => {
    const policy: ExpiryPolicy = { kind: "after_inactivity", months: 6 };
    expect(lotExpiresAt(policy, earnedAt)).toBeNull();
    expect(inactivityExpiresAt(policy, earnedAt)?.toISOString()).toBe("2026-07-31T09:00:00.000Z");
  });

  it("GIVEN no expiry THEN nothing ever expires", () => {
    expect(lotExpiresAt({ kind: "none" }, earnedAt)).toBeNull();
    expect(inactivityExpiresAt({ kind: "none" }, earnedAt)).toBeNull();
  });
});

describe("validateExpiryPolicy", () => {
  it.each([
    [{ kind: "none" }, { kind: "none" }],
    [{ kind: "none", months: 12 }, { kind: "none" }],
    [
      { kind: "after_earning", months: 1 },
      { kind: "after_earning", months: 1 },
    ],
    [
      { kind: "after_inactivity", months: 120, extra: true },
      { kind: "after_inactivity", months: 120 },
    ],
  ])("GIVEN %j THEN the clean policy is %j", (input, expected) => {
    expect(validateExpiryPolicy(input)).toStrictEqual(expected);
  });

  it.each([
    ["null", null, /must be an object/],
    ["a string", "none", /must be an object/],
    ["no kind", {}, /kind must be/],
    ["an unknown kind", { kind: "never" }, /kind must be/],
    ["missing months", { kind: "after_earning" }, /months must be a whole number from 1 to 120/],
    ["0 months", { kind: "after_earning", months: 0 }, /got 0/],
    ["121 months", { kind: "after_inactivity", months: 121 }, /got 121/],
    ["fractional months", { kind: "after_earning", months: 1.5 }, /got 1.5/],
    ["months as a string", { kind: "after_earning", months: "12" }, /got "12"/],
  ])("GIVEN %s THEN it is rejected", (_name, input, message) => {
    expect(() => validateExpiryPolicy(input)).toThrow(InvalidExpiryPolicyError);
    expect(() => validateExpiryPolicy(input)).toThrow(message);
  });
});
