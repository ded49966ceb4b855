import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { allocateFifo, orderLotsForSpending, type SpendableLot } from "./fifo";

const lot = (id: string, remaining: bigint, expiresAt: string | null, createdAt: string): SpendableLot => ({
  id,
  remaining,
  expiresAt: expiresAt === null ? null : new Date(expiresAt),
  createdAt: new Date(createdAt),
});

// Few distinct dates, so ties on expiry and creation (and the id tie-break) come up often.
const day = fc.integer({ min: 0, max: 5 }).map((n) => new Date(Date.UTC(2026, 0, 1 + n)));
const lots = fc.uniqueArray(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 3 }),
    remaining: fc.bigInt({ min: 0n, max: 1_000n }),
    expiresAt: fc.option(day, { nil: null }),
    createdAt: day,
  }),
  { selector: (candidate) => candidate.id, maxLength: 8 },
);
const amount = fc.bigInt({ min: -500n, max: 6_000n });

describe("orderLotsForSpending", () => {
  it("GIVEN lots with and without expiry THEN soonest expiry goes first, never-expiring last, then oldest, then id", () => {
    const input = [
      lot("late", 1n, "2026-03-01", "2025-01-01"),
      lot("forever-new", 1n, null, "2025-06-01"),
      lot("soon-b", 1n, "2026-01-01", "2025-05-01"),
      lot("forever-old", 1n, null, "2024-01-01"),
      lot("soon-a", 1n, "2026-01-01", "2025-05-01"),
      lot("soon-older", 1n, "2026-01-01", "2025-02-01"),
    ];
    expect(orderLotsForSpending(input).map((l) => l.id)).toEqual([
      "soon-older",
      "soon-a",
      "soon-b",
      "late",
      "forever-old",
      "forever-new",
    ]);
  });

  it("GIVEN lots THEN the input array is left as it was and the caller's lot type is kept", () => {
    const input = [
      { ...lot("b", 1n, null, "2025-01-01"), label: "second" },
      { ...lot("a", 1n, null, "2025-01-01"), label: "first" },
    ];
    const ordered = orderLotsForSpending(input);
    expect(ordered.map((l) => l.label)).toEqual(["first", "second"]);
    expect(input.map((l) => l.id)).toEqual(["b", "a"]);
  });

  it("GIVEN an invalid date THEN it throws rather than produce an order that depends on the sort", () => {
    expect(() =>
      orderLotsForSpending([lot("a", 1n, "nonsense", "2025-01-01"), lot("b", 1n, "2026-01-01", "2025-01-01")]),
    ).toThrow(RangeError);
  });

  it("GIVEN any lots in any order THEN the spending order is the same", () => {
    fc.assert(
      fc.property(lots, (input) => {
        const ids = (list: SpendableLot[]) => orderLotsForSpending(list).map((l) => l.id);
        expect(ids([...input].reverse())).toEqual(ids(input));
      }),
    );
  });

  it("GIVEN any lots THEN each lot in the order comes no later than the next by expiry, then creation, then id", () => {
    const key = (l: SpendableLot) =>
      [l.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY, l.createdAt.getTime()] as const;
    fc.assert(
      fc.property(lots, (input) => {
        const ordered = orderLotsForSpending(input);
        for (let i = 1; i < ordered.length; i++) {
          const [a, b] = [ordered[i - 1]!, ordered[i]!];
          const [ka, kb] = [key(a), key(b)];
          const inOrder = ka[0] < kb[0] || (ka[0] === kb[0] && (ka[1] < kb[1] || (ka[1] === kb[1] && a.id < b.id)));
          expect(inOrder).toBe(true);
        }
      }),
    );
  });
});

describe("allocateFifo", () => {
  const wallet = [
    lot("no-expiry", 500n, null, "2025-01-01"),
    lot("empty", 0n, "2026-01-01", "2025-01-01"),
    lot("expiring", 300n, "2026-02-01", "2025-03-01"),
  ];

  it("GIVEN enough points THEN the expiring lot is used up first and the rest comes from the next", () => {
    expect(allocateFifo(wallet, 600n)).toEqual({
      allocations: [
        { lotId: "expiring", amount: 300n },
        { lotId: "no-expiry", amount: 300n },
      ],
      shortfall: 0n,
    });
  });

  it("GIVEN more than the lots hold THEN every lot is emptied and the rest is the shortfall", () => {
    expect(allocateFifo(wallet, 1_000n)).toEqual({
      allocations: [
        { lotId: "expiring", amount: 300n },
        { lotId: "no-expiry", amount: 500n },
      ],
      shortfall: 200n,
    });
  });

  it.each([0n, -5n])("GIVEN amount %s THEN nothing is allocated and nothing is short", (value) => {
    expect(allocateFifo(wallet, value)).toEqual({ allocations: [], shortfall: 0n });
  });

  it("GIVEN no lots THEN the whole amount is short", () => {
    expect(allocateFifo([], 250n)).toEqual({ allocations: [], shortfall: 250n });
  });

  it("GIVEN a lot with a negative remaining amount THEN it throws, even for nothing to spend", () => {
    const broken = [...wallet, lot("broken", -1n, null, "2025-01-01")];
    expect(() => allocateFifo(broken, 100n)).toThrow(RangeError);
    expect(() => allocateFifo(broken, 0n)).toThrow(/broken/);
  });

  it("GIVEN any lots and amount THEN allocations plus shortfall are exactly the amount (or 0 when it is not positive)", () => {
    fc.assert(
      fc.property(lots, amount, (input, value) => {
        const { allocations, shortfall } = allocateFifo(input, value);
        const total = allocations.reduce((sum, a) => sum + a.amount, 0n);
        return total + shortfall === (value > 0n ? value : 0n) && shortfall >= 0n;
      }),
    );
  });

  it("GIVEN any lots and amount THEN each lot is used at most once, for more than 0 and at most what it holds", () => {
    fc.assert(
      fc.property(lots, amount, (input, value) => {
        const { allocations } = allocateFifo(input, value);
        expect(new Set(allocations.map((a) => a.lotId)).size).toBe(allocations.length);
        for (const allocation of allocations) {
          const source = input.find((l) => l.id === allocation.lotId)!;
          expect(allocation.amount > 0n && allocation.amount <= source.remaining).toBe(true);
        }
      }),
    );
  });

  it("GIVEN a shortfall THEN every lot that held anything was emptied", () => {
    fc.assert(
      fc.property(lots, amount, (input, value) => {
        const { allocations, shortfall } = allocateFifo(input, value);
        if (shortfall === 0n) return;
        for (const source of input.filter((l) => l.remaining > 0n)) {
          expect(allocations.find((a) => a.lotId === source.id)?.amount).toBe(source.remaining);
        }
      }),
    );
  });

  it("GIVEN any lots and amount THEN a lot is used only once every earlier lot in spending order is empty", () => {
    fc.assert(
      fc.property(lots, amount, (input, value) => {
        const { allocations } = allocateFifo(input, value);
        const taken = new Map(allocations.map((a) => [a.lotId, a.amount]));
        const ordered = orderLotsForSpending(input);
        const position = (id: string) => ordered.findIndex((l) => l.id === id);
        const positions = allocations.map((a) => position(a.lotId));
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
        const lastUsed = positions.at(-1) ?? 0;
        for (const earlier of ordered.slice(0, lastUsed)) {
          expect(taken.get(earlier.id) ?? 0n).toBe(earlier.remaining);
        }
      }),
    );
  });
});
