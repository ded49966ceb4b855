import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { forEachInstalledShop, runClaimed } from "~/jobs/scheduled/common.server";

import { freshShop } from "./shared";

const db = database();
const NOW = new Date("2026-08-01T00:00:00Z");

describe("scheduled job plumbing", () => {
  it("one shop's error is logged without secrets and the other shops still run", async () => {
    const failing = await freshShop(db, "failing");
    const fine = await freshShop(db, "fine");
    const lines: string[] = [];
    const seen: string[] = [];
    const result = await forEachInstalledShop(db, "test", { log: (line) => lines.push(line) }, async (shop) => {
      if (shop.id === failing.id) throw new Error("boom with shpat_abcdef123456 inside");
      seen.push(shop.id);
    });
    expect(result.failed).toBe(1);
    expect(seen).toContain(fine.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("boom");
    expect(lines[0]).not.toContain("shpat_abcdef123456");
  });

  it("a failed run records its error, releases the claim, and is retried by the next run", async () => {
    const shop = await freshShop(db, "claimed");
    const target = { shopId: shop.id, job: "test", key: "2026-08-01", now: NOW };
    await expect(runClaimed(db, target, () => Promise.reject(new Error("database said no")))).rejects.toThrow(
      "database said no",
    );
    const state = () =>
      db.jobState.findUniqueOrThrow({ where: { shopId_job_key: { shopId: shop.id, job: "test", key: "2026-08-01" } } });
    expect(await state()).toMatchObject({ status: "failed", leaseUntil: null });
    expect((await state()).lastError).toContain("database said no");
    const ran = await runClaimed(db, target, async () => ({ cursor: "x", processed: 4, done: true }));
    expect(ran).toMatchObject({ processed: 4 });
    expect(await state()).toMatchObject({ status: "done", lastError: null, processed: 4, cursor: "x" });
    expect(await runClaimed(db, target, async () => ({ cursor: null, processed: 1, done: true }))).toBeNull();
  });

  it("of two concurrent claims of the same period, exactly one runs", async () => {
    const shop = await freshShop(db, "race");
    const target = { shopId: shop.id, job: "test", key: "race", now: NOW };
    let runs = 0;
    const work = async () => {
      runs += 1;
      return { cursor: null, processed: 1, done: true };
    };
    const results = await Promise.all([runClaimed(db, target, work), runClaimed(db, target, work)]);
    expect(runs).toBe(1);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await db.jobState.count({ where: { shopId: shop.id, job: "test" } })).toBe(1);
  });
});
