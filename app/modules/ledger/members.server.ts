import type { Database } from "~/db.server";
import { normaliseEmail } from "~/modules/customers/customers.server";

import { MemberExcludedError, MemberNotFoundError } from "./errors";
import { recordSideEffects } from "./records.server";
import { inTransaction, type Tx } from "./transaction.server";

/** How the APIs name a member: a Shopify customer id (numeric or gid) or an email address. */
export function parseMemberIdentifier(identifier: string) {
  const trimmed = identifier.trim();
  // No member's email holds a NUL (PostgreSQL text cannot) or runs past 320 characters (RFC 5321).
  if (trimmed.length > 320 || trimmed.includes("\u0000")) return null;
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(trimmed);
  if (gid) return { shopifyCustomerId: gid[1] as string };
  if (/^\d+$/.test(trimmed)) return { shopifyCustomerId: trimmed };
  if (trimmed.includes("@")) return { emailNormalized: normaliseEmail(trimmed) as string };
  return null;
}

/** The member named by `identifier` in the shop, or null. */
export async function findMember(db: Database | Tx, shopId: string, identifier: string) {
  const where = parseMemberIdentifier(identifier);
  if (!where) return null;
  return db.customer.findFirst({ where: { shopId, ...where } });
}

export async function requireMember(db: Database | Tx, shopId: string, identifier: string) {
  const member = await findMember(db, shopId, identifier);
  if (!member) throw new MemberNotFoundError(identifier);
  return member;
}

/** Refuses a member who may not earn or spend: excluded, opted out, or deleted in Shopify. */
export function requireActive(member: { status: string }) {
  if (member.status !== "active") throw new MemberExcludedError();
}

export type MemberStatus = "active" | "excluded" | "excluded_by_customer";

/**
 * Excludes a member from the program or lets them back in (by the merchant, or the shopper opting
 * out / in). Their points stay; an excluded member can neither earn nor spend.
 */
export async function setMemberStatus(
  db: Database,
  input: { shopId: string; identifier: string; status: MemberStatus; actor: string },
) {
  return inTransaction(db, async (tx) => {
    const member = await requireMember(tx, input.shopId, input.identifier);
    // A customer deleted in Shopify stays deleted: neither the merchant nor the shopper revives them.
    if (member.status === "deleted") throw new MemberNotFoundError(input.identifier);
    if (member.status === input.status) return member;
    const updated = await tx.customer.update({
      where: { id: member.id },
      data: { status: input.status, ledgerVersion: { increment: 1 } },
    });
    await recordSideEffects(tx, {
      shopId: input.shopId,
      memberId: member.id,
      activity: {
        type: "member_status_changed",
        message: `Status changed from ${member.status} to ${input.status}`,
        actor: input.actor,
      },
      events: [{ topic: "member.sync", payload: { memberId: member.id } }],
    });
    return updated;
  });
}

/** How far ahead "expiring soon" looks. */
export const EXPIRING_SOON_DAYS = 30;

/**
 * A member's balances as every door shows them: available, pending, lifetime, redeemed, and the
 * points that expire soonest (within 30 days) with their date.
 */
export async function memberBalances(db: Database | Tx, memberId: string, at = new Date()) {
  const member = await db.customer.findUniqueOrThrow({ where: { id: memberId }, include: { vipTier: true } });
  const horizon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const expiring = await db.lot.findMany({
    where: { memberId, status: "approved", remainingCenti: { gt: 0n }, expiresAt: { gt: at, lte: horizon } },
    select: { remainingCenti: true, expiresAt: true },
    orderBy: { expiresAt: "asc" },
  });
  return {
    member,
    availableCenti: member.availableCenti,
    pendingCenti: member.pendingCenti,
    lifetimeCenti: member.lifetimeCenti,
    redeemedCenti: member.redeemedCenti,
    tier: member.vipTier,
    expiringSoonCenti: expiring.reduce((total, lot) => total + lot.remainingCenti, 0n),
    nextExpiryAt: expiring[0]?.expiresAt ?? null,
  };
}
