import type { Database } from "~/db.server";
import { earnFromRule } from "~/modules/ledger";

import { forEachInstalledShop, runClaimed, utcDate, type JobOptions } from "./common.server";

/** At most this many members per shop, occasion and run; the rest of the day's goes on next run. */
export const OCCASIONS_BATCH = 200;

export type Occasion = "birthday" | "anniversary";

const FIELD = { birthday: "dateOfBirth", anniversary: "anniversaryDate" } as const;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The "-MM-DD" endings of the stored dates ("YYYY-MM-DD") celebrated on a UTC day. A 29 February
 * date is celebrated on 28 February in non-leap years.
 */
export function celebratedEndings(day: Date): string[] {
  const month = String(day.getUTCMonth() + 1).padStart(2, "0");
  const date = String(day.getUTCDate()).padStart(2, "0");
  const endings = [`-${month}-${date}`];
  if (month === "02" && date === "28" && !isLeapYear(day.getUTCFullYear())) endings.push("-02-29");
  return endings;
}

/**
 * Awards each installed shop's active birthday / anniversary earning rules to the members whose date
 * is today (UTC; shops' time zones are not stored). Once a year: earnFromRule's business key is
 * `rule:<id>:<year>`, unique per member, so a rerun or a second worker earns nothing more. The day's
 * run of a shop is a JobState (job "birthday" / "anniversary", key the date) claimed by one worker,
 * walking the members by id in bounded batches (its cursor).
 */
export async function runOccasion(db: Database, occasion: Occasion, options: JobOptions & { limit?: number } = {}) {
  const now = options.now ?? new Date();
  const limit = options.limit ?? OCCASIONS_BATCH;
  const year = String(now.getUTCFullYear());
  const endings = celebratedEndings(now);
  let awarded = 0;
  const { shops, failed } = await forEachInstalledShop(db, occasion, options, async (shop) => {
    const rules = await db.earningRule.findMany({
      where: { shopId: shop.id, category: occasion, isActive: true, deletedAt: null },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    if (rules.length === 0) return;
    await runClaimed(db, { shopId: shop.id, job: occasion, key: utcDate(now), now }, async ({ cursor }) => {
      const members = await db.customer.findMany({
        where: {
          shopId: shop.id,
          status: "active",
          OR: endings.map((ending) => ({ [FIELD[occasion]]: { endsWith: ending } })),
          ...(cursor ? { id: { gt: cursor } } : {}),
        },
        select: { id: true },
        orderBy: { id: "asc" },
        take: limit,
      });
      let processed = 0;
      for (const member of members) {
        for (const rule of rules) {
          const earned = await earnFromRule(db, {
            shopId: shop.id,
            memberId: member.id,
            ruleId: rule.id,
            occurrence: year,
            actor: `system:${occasion}`,
            at: now,
          });
          if (earned) awarded += 1;
        }
        processed += 1;
      }
      return { cursor: members.at(-1)?.id ?? cursor, processed, done: members.length < limit };
    });
  });
  return { shops, failed, awarded };
}
