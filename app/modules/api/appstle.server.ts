import { z } from "zod";

import type { Database } from "~/db.server";
import { ApiProblem, describeZodError } from "~/lib/api.server";

export { readJsonBody } from "~/lib/api.server";
import { memberBalances } from "~/modules/ledger/members.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { ShopifyUnavailableError } from "~/shopify/discounts.server";
import { readStoreCreditBalance } from "~/shopify/store-credit.server";
import { formatMoney, InvalidAmountError, parsePoints, pointsToJsonNumber } from "~/modules/ledger/math";

// Appstle Loyalty's customer loyalty object (seed 003), every field with a real value, and what the
// /api/external routes share: naming a customer, reading and validating bodies, reward entries.

/** Which awarded earning-rule actions set which `rewardedFor…` flag. */
const REWARDED_FOR: Record<string, string[]> = {
  rewardedForFacebook: ["like_on_facebook", "follow_on_facebook"],
  rewardedForPinterest: ["follow_on_pinterest"],
  rewardedForTwitter: ["follow_on_x", "follow_on_twitter"],
  rewardedForInstagram: ["follow_on_instagram"],
  rewardedForYoutube: ["subscribe_on_youtube", "follow_on_youtube"],
  rewardedForTiktok: ["follow_on_tiktok"],
  rewardedForNewsLetter: ["subscribe_newsletter"],
  rewardedForSms: ["subscribe_sms"],
  rewardedForCreatingAccount: ["create_account"],
  rewardedForSharingOnFacebook: ["share_on_facebook"],
  rewardedForSharingOnX: ["share_on_x"],
};

// A member whose Shopify customer was deleted (or erased) is INACTIVE: no longer a customer at all.
const STATUS = {
  active: "ACTIVE",
  excluded: "EXCLUDED",
  excluded_by_customer: "EXCLUDED_BY_CUSTOMER",
  deleted: "INACTIVE",
} as const;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

// ---------------------------------------------------------------------------------------------
// Naming a customer: exactly one of customerId (Shopify numeric id) / customerEmail.

/** A Shopify customer id: a positive JSON integer or a string of digits. */
export const customerIdField = z.union(
  [
    z.number().int({ error: "must be a whole number" }).positive({ error: "must be a positive Shopify customer ID" }),
    z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, { error: "must be a Shopify customer ID (digits only)" })
      .transform((digits) => digits.replace(/^0+(?=\d)/, "")),
  ],
  { error: "must be a Shopify customer ID (a positive whole number)" },
);

export const customerEmailField = z.email({ error: "must be an email address" }).max(320);

/** The body fields that name a customer (null counts as absent, as in Appstle's schema). */
export const customerFields = {
  customerId: customerIdField.nullish(),
  customerEmail: customerEmailField.nullish(),
};

/** `shape` (which includes `customerFields`) with exactly one of customerId / customerEmail required. */
export function withOneCustomer<T extends z.ZodRawShape>(shape: T) {
  return z
    .object(shape)
    .refine(
      (value: { customerId?: unknown; customerEmail?: unknown }) =>
        (value.customerId == null) !== (value.customerEmail == null),
      { error: "give exactly one of customerId or customerEmail", path: ["customerId"] },
    );
}

/** The identifier the ledger's findMember / requireMember take. */
export const customerIdentifier = (value: { customerId?: number | string | null; customerEmail?: string | null }) =>
  String(value.customerId ?? value.customerEmail).trim();

// ---------------------------------------------------------------------------------------------
// Bodies, query strings and numbers: every bad input is a 400 naming the field.

/** `schema`'s parse of the value, or a 400 naming every bad field. */
export function validate<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiProblem(400, describeZodError(parsed.error));
  return parsed.data;
}

/** The query string as an object of single values: 400 when a parameter is given twice. */
export function queryObject(request: Request, names: readonly string[]) {
  const params = new URL(request.url).searchParams;
  const query: Record<string, string> = {};
  for (const name of names) {
    const values = params.getAll(name);
    if (values.length > 1) throw new ApiProblem(400, `${name}: give it at most once`);
    if (values.length === 1) query[name] = values[0] as string;
  }
  return query;
}

/** Whether the text holds a control character (NUL, newline, escape …). */
const hasControlCharacter = (text: string) => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};

/**
 * A string field of at most `max` characters. A code or id (`line`) holds no control characters; a
 * note may hold newlines and tabs but never NUL, which PostgreSQL cannot store.
 */
export function textField(max: number, kind: "line" | "note" = "line") {
  return z
    .string({ error: "must be a string" })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((text) => (kind === "line" ? !hasControlCharacter(text) : !text.includes("\u0000")), {
      error: kind === "line" ? "must not contain control characters" : "must not contain NUL characters",
    });
}

/** A positive number of points (≥ 0.01, at most 2 decimals) in centipoints, or a 400 naming `field`. */
export function positivePoints(value: number, field = "points"): bigint {
  let centipoints: bigint;
  try {
    centipoints = parsePoints(value);
  } catch (error) {
    if (error instanceof InvalidAmountError) throw new ApiProblem(400, `${field}: ${error.message}`);
    throw error;
  }
  if (centipoints < 1n) throw new ApiProblem(400, `${field}: must be at least 0.01`);
  return centipoints;
}

// ---------------------------------------------------------------------------------------------
// Reward entries (the customer's bought rewards, by discount code).

/** Appstle's reward statuses and the CustomerReward status each means. */
export const REWARD_STATUS_FILTERS = {
  UNUSED: "active",
  ACTIVE: "active",
  USED: "used",
  EXPIRED: "expired",
  REFUNDED: "refunded",
} as const;
export type AppstleRewardStatus = keyof typeof REWARD_STATUS_FILTERS;

/**
 * A bought reward's status as a client sees it: an active reward whose expiry date has passed is
 * expired (its Shopify discount has ended) even before anything marks it so.
 */
export function effectiveRewardStatus(reward: { status: string; expiresAt: Date | null }, at = new Date()) {
  if (reward.status === "active" && reward.expiresAt !== null && reward.expiresAt <= at) return "expired";
  return reward.status;
}

/** Prisma's filter for the bought rewards with the given (stored) status, counting dates in. */
export function rewardStatusWhere(status: string, at = new Date()) {
  if (status === "active") return { status, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] };
  if (status === "expired") return { OR: [{ status }, { status: "active", expiresAt: { lte: at } }] };
  return { status };
}

export interface RewardEntrySource {
  id: string;
  rewardId: string;
  discountCode: string | null;
  pointsSpentCenti: bigint;
  status: string;
  createdAt: Date;
  expiresAt: Date | null;
  usedAt: Date | null;
  refundedAt: Date | null;
  reward: { name: string; discountType: string };
}

/** The statuses of a bought reward a client sees; pending (being set up) and failed purchases are not rewards. */
export const SETTLED_REWARD_STATUSES = ["active", "used", "expired", "refunded"];

/** One bought reward as the loyalty object's `rewards[]` and update-discount show it. */
export function rewardEntry(reward: RewardEntrySource, at = new Date()) {
  return {
    id: reward.id,
    rewardId: reward.rewardId,
    name: reward.reward.name,
    ...rewardKind(reward.reward.discountType),
    discountCode: reward.discountCode,
    pointsSpent: pointsToJsonNumber(reward.pointsSpentCenti),
    status: effectiveRewardStatus(reward, at).toUpperCase(),
    createdAt: iso(reward.createdAt),
    expiresAt: iso(reward.expiresAt),
    usedAt: iso(reward.usedAt),
    refundedAt: iso(reward.refundedAt),
  };
}

export const REWARD_ENTRY_INCLUDE = { reward: { select: { name: true, discountType: true } } } as const;

// ---------------------------------------------------------------------------------------------
// The loyalty object.

/**
 * The member's Shopify store credit in the shop currency, as a JSON number of major units: 0 for a
 * member with no Shopify customer, and when Shopify cannot be reached (the loyalty object is still
 * answered; store credit is Shopify's to show).
 */
export async function memberStoreCreditBalance(db: Database, shopify: AdminGraphql, memberId: string) {
  const member = await db.customer.findUniqueOrThrow({
    where: { id: memberId },
    select: { shopifyCustomerId: true, shop: { select: { currencyCode: true } } },
  });
  if (!member.shopifyCustomerId) return 0;
  const currency = member.shop.currencyCode;
  try {
    const minor = await readStoreCreditBalance(shopify, `gid://shopify/Customer/${member.shopifyCustomerId}`, currency);
    return Number(formatMoney(minor, currency));
  } catch (error) {
    if (error instanceof ShopifyUnavailableError) return 0;
    throw error;
  }
}

/**
 * The full loyalty object of a member, as Appstle's add-points and customer-loyalty return it;
 * `rewardStatus` (a CustomerReward status: active, used, expired, refunded) filters its rewards.
 */
export async function customerLoyalty(
  db: Database,
  memberId: string,
  options: { rewardStatus?: string; shopify?: AdminGraphql } = {},
) {
  const at = new Date();
  const balances = await memberBalances(db, memberId, at);
  const { member } = balances;
  const storeCreditBalance = options.shopify ? await memberStoreCreditBalance(db, options.shopify, memberId) : 0;
  const earned = await db.lot.findMany({
    where: { memberId, source: "rule", status: { in: ["pending", "approved", "expired"] } },
    select: { rule: { select: { action: true, category: true } } },
  });
  const actions = new Set(earned.map((lot) => lot.rule?.action));
  const tiers = await db.vipTier.findMany({ where: { shopId: member.shopId }, orderBy: { threshold: "asc" } });
  const current = balances.tier ? tiers.find((tier) => tier.id === balances.tier?.id) : null;
  const next = tiers.find((tier) => tier.threshold > (current?.threshold ?? -1n)) ?? null;
  const rewards = await db.customerReward.findMany({
    where: {
      memberId,
      status: { in: SETTLED_REWARD_STATUSES },
      ...(options.rewardStatus ? { AND: [rewardStatusWhere(options.rewardStatus, at)] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: REWARD_ENTRY_INCLUDE,
  });
  return {
    customerId: member.shopifyCustomerId ? Number(member.shopifyCustomerId) : null,
    customerEmail: member.email,
    availablePoints: pointsToJsonNumber(balances.availableCenti),
    pendingPoints: pointsToJsonNumber(balances.pendingCenti),
    creditedPoints: pointsToJsonNumber(balances.lifetimeCenti),
    spentAmount: pointsToJsonNumber(balances.redeemedCenti),
    // Shopify's native store credit, read from Shopify when the caller hands over its client.
    storeCreditBalance,
    achievableTierId: next?.id ?? null,
    currentVipTier: current?.name ?? null,
    // Tiers are kept by standing and do not lapse on a date.
    vipTierExpiredAt: null,
    createAt: iso(member.createdAt),
    ...Object.fromEntries(
      Object.entries(REWARDED_FOR).map(([field, names]) => [field, names.some((name) => actions.has(name))]),
    ),
    referredCompleted: earned.filter((lot) => lot.rule?.category === "referral").length,
    customerStatus: STATUS[member.status as keyof typeof STATUS] ?? "INACTIVE",
    dob: member.dateOfBirth,
    rewards: rewards.map((reward) => rewardEntry(reward, at)),
    expiringPointsAmount: pointsToJsonNumber(balances.expiringSoonCenti),
    pointsExpireAt: iso(balances.nextExpiryAt),
  };
}

// ---------------------------------------------------------------------------------------------
// The reward catalogue as Appstle's redeem rules.

const REWARD_TYPES: Record<string, string> = {
  fixed_amount: "DISCOUNT_CODE",
  percentage: "DISCOUNT_CODE",
  free_shipping: "FREE_SHIPPING",
  free_product: "FREE_PRODUCT",
  store_credit: "STORE_CREDIT",
};

/**
 * What a reward gives as Appstle names it: rewardType (what the customer gets) and discountType (how
 * its value reads: FIXED amount, PERCENTAGE off, or null for free shipping and free products).
 */
function rewardKind(discountType: string) {
  const fixed = discountType === "fixed_amount" || discountType === "store_credit";
  return {
    rewardType: REWARD_TYPES[discountType] ?? discountType.toUpperCase(),
    discountType: fixed ? "FIXED" : discountType === "percentage" ? "PERCENTAGE" : null,
  };
}

/** Minor units of `currency` as a JSON number of major units (12.5 for 1250 EUR cents), or null. */
const majorUnits = (minor: bigint | null, currency: string) =>
  minor === null ? null : Number(formatMoney(minor, currency));

const points = (centi: bigint | null) => (centi === null ? null : pointsToJsonNumber(centi));

/**
 * The shop's active, not deleted rewards as Appstle redeem rules. discountType says how
 * discountValue reads: FIXED (an amount in the shop's currency: fixed-amount discounts and store
 * credit), PERCENTAGE (percent off), or null (free shipping, free product). Variable rewards have no
 * pointsRequired; they convert pointsPerCurrencyUnit points into 1 unit of the currency, between
 * minPoints and maxPoints.
 */
export async function pointRedeemRules(db: Database, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currencyCode: true } });
  const rewards = await db.reward.findMany({
    where: { shopId, isActive: true, deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { vipTier: { select: { name: true } } },
  });
  return rewards.map((reward) => {
    const fixed = reward.discountType === "fixed_amount" || reward.discountType === "store_credit";
    const percentage = reward.discountType === "percentage";
    return {
      id: reward.id,
      name: reward.name,
      description: reward.description,
      ...rewardKind(reward.discountType),
      discountValue: fixed
        ? majorUnits(reward.discountAmountMinor, shop.currencyCode)
        : percentage && reward.discountPercentBp !== null
          ? reward.discountPercentBp / 100
          : null,
      currencyCode: shop.currencyCode,
      variable: reward.isVariable,
      pointsRequired: reward.isVariable ? null : points(reward.pointsCostCenti),
      pointsPerCurrencyUnit: reward.isVariable ? points(reward.pointsPerUnitCenti) : null,
      minPoints: reward.isVariable ? points(reward.minPointsCenti) : null,
      maxPoints: reward.isVariable ? points(reward.maxPointsCenti) : null,
      minimumSpend: majorUnits(reward.minimumSpendMinor, shop.currencyCode),
      expiryDays: reward.expiryDays,
      vipTierId: reward.vipTierId,
      vipTierName: reward.vipTier?.name ?? null,
      maxRedemptions: reward.maxRedemptions,
      freeProductVariantId: reward.freeProductVariantId,
      combinesWith: {
        orderDiscounts: reward.combinesWithOrder,
        productDiscounts: reward.combinesWithProduct,
        shippingDiscounts: reward.combinesWithShipping,
      },
    };
  });
}
