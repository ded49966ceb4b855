import type { Database } from "~/db.server";

import { applyBalanceChange, lockMember, type LockedMember } from "./balances.server";
import { AlreadyAwardedError, EarningRuleNotFoundError, LedgerInvariantError, RuleNotAwardableError } from "./errors";
import { dueDateFor, expiryFor, shopPolicy } from "./lots.server";
import { applyMultiplier, eligibleAmount, formatPoints, purchasePoints, type RoundingMode } from "./math";
import { requireActive, requireMember } from "./members.server";
import { recordSideEffects } from "./records.server";
import { recomputeMemberTier } from "./tiers.server";
import { isUniqueViolation, ledgerOperation, type Tx } from "./transaction.server";

export const AWARDABLE_CATEGORIES = ["social", "engagement"];
const X1 = 10_000;
const ENTRY_KIND = {
  rule: "earn",
  order: "earn",
  manual: "adjust",
  api: "adjust",
  import: "import",
  refund: "refund",
} as const;

export interface CreditInput {
  source: "rule" | "order" | "manual" | "api" | "import" | "refund";
  basePointsCenti: bigint;
  /** Basis points; the member's tier multiplier for rule and order earnings, ×1 otherwise. */
  multiplierBp: number;
  approvalDays: number;
  ruleId?: string | null;
  orderId?: string | null;
  sourceKey?: string | null;
  /** Whether the points count towards lifetime points (and so tiers); Mage's update_lifetime_points. */
  countsForLifetime?: boolean;
  note?: string | null;
  actor: string;
  at: Date;
  activity: { type: string; message: (points: string, status: string) => string };
  /** More facts for the activity data and the points.earned event (e.g. Mage's send_email). */
  details?: Record<string, unknown>;
}

/**
 * Credits points to a locked member as a new lot: pending when the rule asks for an approval time,
 * otherwise spendable at once with the expiry the shop's policy gives it.
 */
export async function creditLot(tx: Tx, member: LockedMember, input: CreditInput) {
  if (input.basePointsCenti <= 0n) throw new LedgerInvariantError("a lot must hold a positive amount");
  const amount = applyMultiplier(input.basePointsCenti, BigInt(input.multiplierBp), "down", "centipoint");
  const { policy } = await shopPolicy(tx, member.shopId);
  const dueAt = dueDateFor(input.approvalDays, input.at);
  const pending = dueAt !== null;
  const lot = await tx.lot.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      source: input.source,
      ruleId: input.ruleId ?? null,
      orderId: input.orderId ?? null,
      sourceKey: input.sourceKey ?? null,
      basePointsCenti: input.basePointsCenti,
      multiplierBp: input.multiplierBp,
      amountCenti: amount,
      remainingCenti: amount,
      status: pending ? "pending" : "approved",
      dueAt,
      givenAt: pending ? null : input.at,
      expiresAt: pending ? null : expiryFor(policy, input.at),
      note: input.note ?? null,
      createdAt: input.at,
    },
  });
  const countsForLifetime = input.countsForLifetime ?? true;
  const { entry, member: after } = await applyBalanceChange(tx, member, {
    kind: ENTRY_KIND[input.source],
    ...(pending ? { pending: amount } : { available: amount, lifetime: countsForLifetime ? amount : 0n }),
    lotId: lot.id,
    orderId: input.orderId ?? null,
    note: input.note ?? null,
    actor: input.actor,
    at: input.at,
  });
  const status = pending ? "pending" : "approved";
  const payload = {
    memberId: member.id,
    shopifyCustomerId: member.shopifyCustomerId,
    lotId: lot.id,
    points: formatPoints(amount),
    status,
    source: input.source,
    ...input.details,
  };
  await recordSideEffects(tx, {
    shopId: member.shopId,
    memberId: member.id,
    activity: {
      type: input.activity.type,
      message: input.activity.message(formatPoints(amount), status),
      actor: input.actor,
      data: payload,
    },
    events: [
      ...(pending ? [] : [{ topic: "points.earned" as const, payload }]),
      { topic: "member.sync", payload: { memberId: member.id } },
    ],
  });
  const tiered = pending
    ? after
    : await recomputeMemberTier(tx, after, `earned ${formatPoints(amount)} points`, input.actor);
  return { lot, entry, member: tiered };
}

/** The tier multiplier of a member (×1 without a tier). */
export async function tierMultiplierBp(tx: Tx, member: LockedMember) {
  if (!member.vipTierId) return X1;
  const tier = await tx.vipTier.findUnique({ where: { id: member.vipTierId }, select: { multiplierBp: true } });
  return tier?.multiplierBp ?? X1;
}

/** What the APIs show of an earning: Mage's earning_history_entry, as domain values. */
export type EarningHistoryEntry = Awaited<ReturnType<typeof earningEntryOf>>;

function earningEntryOf(
  lot: {
    id: string;
    ruleId: string | null;
    orderId: string | null;
    basePointsCenti: bigint;
    multiplierBp: number;
    amountCenti: bigint;
    status: string;
    givenAt: Date | null;
    dueAt: Date | null;
    expiresAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  },
  action: string | null,
) {
  return {
    id: lot.id,
    earningRuleId: lot.ruleId,
    action,
    orderId: lot.orderId,
    pointsCenti: lot.amountCenti,
    basePointsCenti: lot.basePointsCenti,
    multiplierBp: lot.multiplierBp,
    status: lot.status,
    givenAt: lot.givenAt,
    dueAt: lot.dueAt,
    expiresAt: lot.expiresAt,
    createdAt: lot.createdAt,
    updatedAt: lot.updatedAt,
  };
}

type EarningRuleRow = NonNullable<Awaited<ReturnType<Tx["earningRule"]["findFirst"]>>>;

/** Credits a rule's points to a locked member, with their tier multiplier and the rule's approval time. */
async function creditRule(
  tx: Tx,
  member: LockedMember,
  rule: EarningRuleRow,
  sourceKey: string | null,
  actor: string,
  at: Date,
) {
  const { lot } = await creditLot(tx, member, {
    source: "rule",
    ruleId: rule.id,
    sourceKey,
    basePointsCenti: rule.pointsCenti,
    multiplierBp: await tierMultiplierBp(tx, member),
    approvalDays: rule.approvalDays,
    actor,
    at,
    activity: { type: "points_earned", message: (points, status) => `${points} points for "${rule.name}" (${status})` },
  });
  return earningEntryOf(lot, rule.action);
}

/**
 * Mage's "award an earning rule" (seeds 000/001): a social or engagement rule, once per member, with
 * the member's VIP multiplier; pending when the rule has an approval time.
 */
export async function awardEarningRule(
  db: Database,
  input: {
    shopId: string;
    ruleId: string;
    identifier: string;
    actor: string;
    idempotencyKey?: string | null;
    at?: Date;
  },
) {
  const at = input.at ?? new Date();
  const { idempotencyKey, at: _at, ...request } = input;
  try {
    return await ledgerOperation(
      db,
      { shopId: input.shopId, operation: "award_rule", key: idempotencyKey, input: request },
      async (tx) => {
        const found = await requireMember(tx, input.shopId, input.identifier);
        requireActive(found);
        const rule = await tx.earningRule.findFirst({
          where: { id: input.ruleId, shopId: input.shopId, isActive: true, deletedAt: null },
        });
        if (!rule) throw new EarningRuleNotFoundError(input.ruleId);
        if (!AWARDABLE_CATEGORIES.includes(rule.category)) throw new RuleNotAwardableError(rule.category);
        const member = await lockMember(tx, found.id);
        // Once per member where the rule says so (social and engagement rules do by default).
        return creditRule(tx, member, rule, rule.oncePerMember ? `rule:${rule.id}` : null, input.actor, at);
      },
    );
  } catch (error) {
    if (isUniqueViolation(error, "sourceKey")) throw new AlreadyAwardedError();
    throw error;
  }
}

/**
 * Points from a rule the platform awards by itself (sign-up, birthday, anniversary, referral…),
 * once per `occurrence` (e.g. "2026" for a yearly birthday; "once" for sign-up), with the member's
 * tier multiplier. Returns null when that occurrence has earned already or the member is excluded.
 */
export async function earnFromRule(
  db: Database,
  input: { shopId: string; memberId: string; ruleId: string; occurrence: string; actor: string; at?: Date },
) {
  const at = input.at ?? new Date();
  try {
    return await ledgerOperation(db, { shopId: input.shopId, operation: "earn_rule", input }, async (tx) => {
      const member = await lockMember(tx, input.memberId);
      if (member.status !== "active") return null;
      const rule = await tx.earningRule.findFirst({
        where: { id: input.ruleId, shopId: input.shopId, isActive: true, deletedAt: null },
      });
      if (!rule) throw new EarningRuleNotFoundError(input.ruleId);
      return creditRule(tx, member, rule, `rule:${rule.id}:${input.occurrence}`, input.actor, at);
    });
  } catch (error) {
    if (isUniqueViolation(error, "sourceKey")) return null;
    throw error;
  }
}

export interface OrderEarningInput {
  shopId: string;
  memberId: string;
  shopifyOrderId: string;
  orderNumber?: string | null;
  currency: string;
  subtotalMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  discountsMinor: bigint;
  actor: string;
  at?: Date;
}

/**
 * Points for a paid order, once per order and purchase rule however often the event arrives, with
 * the member's tier multiplier. Records what the order earned on for later proportional reversals.
 */
export async function earnForOrder(db: Database, input: OrderEarningInput) {
  const at = input.at ?? new Date();
  const rules = await db.earningRule.findMany({
    where: {
      shopId: input.shopId,
      category: "purchase",
      isActive: true,
      deletedAt: null,
      pointsPerUnitCenti: { not: null },
    },
    orderBy: { createdAt: "asc" },
  });
  const earned = [];
  for (const rule of rules) {
    const eligibleMinor = eligibleAmount({
      subtotalMinor: input.subtotalMinor,
      shippingMinor: input.shippingMinor,
      taxMinor: input.taxMinor,
      discountsMinor: input.discountsMinor,
      includeShipping: rule.includeShipping,
      includeTax: rule.includeTax,
    });
    const base = purchasePoints({
      eligibleMinor,
      currency: input.currency,
      pointsPerUnit: rule.pointsPerUnitCenti ?? 0n,
      rounding: rule.rounding as RoundingMode,
    });
    try {
      const lot = await ledgerOperation(db, { shopId: input.shopId, operation: "earn_order", input }, async (tx) => {
        let member = await lockMember(tx, input.memberId);
        if (member.status !== "active") return null;
        const known = await tx.order.findUnique({
          where: { shopId_shopifyOrderId: { shopId: input.shopId, shopifyOrderId: input.shopifyOrderId } },
        });
        if (!known) {
          await tx.order.create({
            data: {
              shopId: input.shopId,
              memberId: member.id,
              shopifyOrderId: input.shopifyOrderId,
              orderNumber: input.orderNumber ?? null,
              currency: input.currency,
              eligibleMinor,
            },
          });
          member = await tx.customer.update({
            where: { id: member.id },
            data: { lifetimeSpendMinor: { increment: eligibleMinor } },
          });
        }
        if (base <= 0n) return null;
        const credited = await creditLot(tx, member, {
          source: "order",
          ruleId: rule.id,
          orderId: input.shopifyOrderId,
          sourceKey: `order:${input.shopifyOrderId}:${rule.id}`,
          basePointsCenti: base,
          multiplierBp: await tierMultiplierBp(tx, member),
          approvalDays: rule.approvalDays,
          actor: input.actor,
          at,
          activity: {
            type: "points_earned",
            message: (points, status) =>
              `${points} points for order ${input.orderNumber ?? input.shopifyOrderId} (${status})`,
          },
        });
        return credited.lot;
      });
      if (lot) earned.push(earningEntryOf(lot, rule.action));
    } catch (error) {
      // The same order event again: it has earned already.
      if (!isUniqueViolation(error, "sourceKey")) throw error;
    }
  }
  return earned;
}
