import type { Database } from "~/db.server";
import { approvePendingLots, inTransaction, LotNotFoundError, requireMember } from "~/modules/ledger";
import { recordSideEffects } from "~/modules/ledger/records.server";

// Appstle's customer writes that are not point movements: birth dates, and approving pending
// transactions (the ledger moves the points; this checks who they belong to first).

/** Birth dates before this year are refused as typos. */
export const EARLIEST_BIRTH_YEAR = 1900;

/**
 * Checks a "YYYY-MM-DD" birth date: a real calendar date, from 1900 on, not in the future. "Today"
 * is today anywhere on Earth (UTC+14), so a shopper east of UTC can give today's date. Returns the
 * problem in words, or null when it is fine.
 */
export function birthDateProblem(dob: string, now = new Date()): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dob);
  if (!match) return "must be a date written YYYY-MM-DD";
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < EARLIEST_BIRTH_YEAR) return `must be in ${EARLIEST_BIRTH_YEAR} or later`;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return `${dob} is not a real date`;
  const latestToday = new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  if (dob > latestToday) return "must not be in the future";
  return null;
}

/**
 * Sets a member's birth date (Appstle's update-customer-birth-date), with its activity line and a
 * member.sync event (metafields, email tools) in the same transaction. Setting the date the member
 * already has writes nothing. Returns the member.
 */
export async function setMemberBirthDate(
  db: Database,
  input: { shopId: string; identifier: string; dateOfBirth: string; actor: string },
) {
  return inTransaction(db, async (tx) => {
    const member = await requireMember(tx, input.shopId, input.identifier);
    if (member.dateOfBirth === input.dateOfBirth) return member;
    const updated = await tx.customer.update({
      where: { id: member.id },
      data: { dateOfBirth: input.dateOfBirth },
    });
    await recordSideEffects(tx, {
      shopId: input.shopId,
      memberId: member.id,
      activity: {
        type: "member_birth_date_changed",
        message: member.dateOfBirth
          ? `Birth date changed from ${member.dateOfBirth} to ${input.dateOfBirth}`
          : `Birth date set to ${input.dateOfBirth}`,
        actor: input.actor,
        data: { memberId: member.id, from: member.dateOfBirth, to: input.dateOfBirth },
      },
      events: [{ topic: "member.sync", payload: { memberId: member.id } }],
    });
    return updated;
  });
}

/**
 * Approves the listed pending transactions (lots) now, all or none: each must be pending, of the
 * shop, and belong to the customer named with it (Shopify customer id), else LotNotFoundError
 * names it and nothing is approved. Returns how many were approved.
 */
export async function approveCustomerTransactions(
  db: Database,
  input: { shopId: string; transactions: { transactionId: string; customerId: string }[]; actor: string },
) {
  const ids = [...new Set(input.transactions.map((transaction) => transaction.transactionId))];
  const lots = await db.lot.findMany({
    where: { shopId: input.shopId, status: "pending", id: { in: ids } },
    select: { id: true, member: { select: { shopifyCustomerId: true } } },
  });
  for (const { transactionId, customerId } of input.transactions) {
    const lot = lots.find((candidate) => candidate.id === transactionId);
    if (!lot || lot.member.shopifyCustomerId !== customerId) throw new LotNotFoundError(transactionId);
  }
  return approvePendingLots(db, { shopId: input.shopId, lotIds: ids, actor: input.actor });
}
