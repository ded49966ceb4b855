import { ApiProblem } from "~/lib/api-problem";
import { describeKey, jsonApiAttributes, kindOf } from "~/modules/api/mage-body";
import {
  currencyExponent,
  formatMoney,
  formatMultiplier,
  InvalidAmountError,
  parseMoney,
  parseMultiplier,
  parsePoints,
  pointsToJsonNumber,
  ROUNDING_MODES,
  type RoundingMode,
} from "~/modules/ledger/math";

// Mage's catalogue resources (earning_rule, reward, vip_tier) as JSON:API, and the readers of their
// write bodies: each attribute is checked for its type and range here, with a message naming it;
// what depends on several attributes (a purchase rule needs points_per_currency_unit…) is checked
// by app/modules/catalogue on the resource as it would be after the write.

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const centiOrNull = (centi: bigint | null) => (centi === null ? null : pointsToJsonNumber(centi));
/** Minor units as a JSON number of major units, exactly (formatMoney's digits). */
export const moneyToJsonNumber = (minor: bigint, currency: string) => Number(formatMoney(minor, currency));
const moneyOrNull = (minor: bigint | null, currency: string) =>
  minor === null ? null : moneyToJsonNumber(minor, currency);

export const EARNING_RULE_CATEGORIES = [
  "purchase",
  "signup",
  "birthday",
  "anniversary",
  "social",
  "engagement",
  "referral",
] as const;
export const DISCOUNT_TYPES = ["fixed_amount", "percentage", "free_shipping", "free_product", "store_credit"] as const;
export const REWARD_TYPES = ["fixed", "variable"] as const;
export const TIER_BASES = ["lifetime_points", "lifetime_spend"] as const;

/** Limits of the catalogue's attributes (also in the OpenAPI document). */
export const LIMITS = {
  name: 255,
  tierName: 100,
  description: 2000,
  label: 255,
  url: 2048,
  action: 64,
  /** Points in any one attribute: 10 million. */
  maxPoints: 10_000_000,
  /** Money in any one attribute: 100 million units of the shop's currency. */
  maxMoney: 100_000_000,
  approvalDays: 365,
  expiryDays: 3650,
  maxRedemptions: 1_000_000,
} as const;

// ---- serializers ---------------------------------------------------------------------------------

export interface EarningRuleRow {
  id: string;
  name: string;
  description: string | null;
  category: string;
  action: string;
  pointsCenti: bigint;
  pointsPerUnitCenti: bigint | null;
  rounding: string;
  includeShipping: boolean;
  includeTax: boolean;
  approvalDays: number;
  oncePerMember: boolean;
  isActive: boolean;
  customerFacingLabel: string | null;
  callToActionUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** GET /earning-rules/{id}: purchase-only attributes are null on other rules. */
export function earningRuleResource(rule: EarningRuleRow) {
  const purchase = rule.category === "purchase";
  return {
    type: "earning_rule",
    id: rule.id,
    attributes: {
      name: rule.name,
      description: rule.description,
      action: rule.action,
      category: rule.category,
      is_active: rule.isActive,
      points_to_give: pointsToJsonNumber(rule.pointsCenti),
      customer_facing_label: rule.customerFacingLabel,
      call_to_action_url: rule.callToActionUrl,
      approval_time: rule.approvalDays,
      points_per_currency_unit: purchase ? centiOrNull(rule.pointsPerUnitCenti) : null,
      rounding: purchase ? rule.rounding : null,
      include_shipping: purchase ? rule.includeShipping : null,
      include_tax: purchase ? rule.includeTax : null,
      once_per_member: rule.oncePerMember,
      created_at: iso(rule.createdAt),
      updated_at: iso(rule.updatedAt),
    },
  };
}

export interface RewardRow {
  id: string;
  name: string;
  description: string | null;
  discountType: string;
  pointsCostCenti: bigint | null;
  discountAmountMinor: bigint | null;
  discountPercentBp: number | null;
  minimumSpendMinor: bigint | null;
  expiryDays: number | null;
  maxRedemptions: number | null;
  vipTierId: string | null;
  freeProductVariantId: string | null;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  isVariable: boolean;
  pointsPerUnitCenti: bigint | null;
  minPointsCenti: bigint | null;
  maxPointsCenti: bigint | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * GET /rewards/{id}. discount_amount reads by discount_type: an amount of the shop's currency
 * (fixed_amount, store_credit), a percentage (percentage), or null (free shipping, free product,
 * and variable rewards, whose value is points_per_currency_unit points per unit).
 */
export function rewardResource(reward: RewardRow, currency: string) {
  const discountAmount =
    reward.discountType === "percentage"
      ? reward.discountPercentBp === null
        ? null
        : reward.discountPercentBp / 100
      : moneyOrNull(reward.discountAmountMinor, currency);
  return {
    type: "reward",
    id: reward.id,
    attributes: {
      name: reward.name,
      description: reward.description,
      discount_type: reward.discountType,
      reward_type: reward.isVariable ? "variable" : "fixed",
      points_cost: centiOrNull(reward.pointsCostCenti),
      discount_amount: discountAmount,
      currency_code: currency,
      minimum_spend: moneyOrNull(reward.minimumSpendMinor, currency),
      is_active: reward.isActive,
      max_redemptions: reward.maxRedemptions,
      expiry_days: reward.expiryDays,
      vip_tier_id: reward.vipTierId,
      free_product_variant_id: reward.freeProductVariantId,
      combines_with: {
        order: reward.combinesWithOrder,
        product: reward.combinesWithProduct,
        shipping: reward.combinesWithShipping,
      },
      points_per_currency_unit: reward.isVariable ? centiOrNull(reward.pointsPerUnitCenti) : null,
      min_points: reward.isVariable ? centiOrNull(reward.minPointsCenti) : null,
      max_points: reward.isVariable ? centiOrNull(reward.maxPointsCenti) : null,
      created_at: iso(reward.createdAt),
      updated_at: iso(reward.updatedAt),
    },
  };
}

export interface VipTierRow {
  id: string;
  name: string;
  description: string | null;
  threshold: bigint;
  multiplierBp: number;
  badgeImageUrl: string | null;
  badgeColor: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a tier's threshold measures, from the shop. */
export interface TierContext {
  basis: string;
  currency: string;
}

/** A threshold as the API shows it: points, or money for a spend basis. */
export const thresholdToJson = (threshold: bigint, context: TierContext) =>
  context.basis === "lifetime_spend" ? moneyToJsonNumber(threshold, context.currency) : pointsToJsonNumber(threshold);

/** GET /vip-tiers/{id}: points_required is in the shop's tier basis, which `basis` names. */
export function vipTierResource(
  tier: VipTierRow,
  context: TierContext,
  extra: { membersCount: number; exclusiveRewardIds: string[] },
) {
  return {
    type: "vip_tier",
    id: tier.id,
    attributes: {
      name: tier.name,
      description: tier.description,
      points_required: thresholdToJson(tier.threshold, context),
      basis: context.basis,
      currency_code: context.basis === "lifetime_spend" ? context.currency : null,
      points_multiplier: formatMultiplier(BigInt(tier.multiplierBp)),
      badge_image_url: tier.badgeImageUrl,
      badge_color: tier.badgeColor,
      exclusive_reward_ids: extra.exclusiveRewardIds,
      members_count: extra.membersCount,
      created_at: iso(tier.createdAt),
      updated_at: iso(tier.updatedAt),
    },
  };
}

// ---- attribute readers ---------------------------------------------------------------------------

/** A value that is not what its attribute takes; the message completes "<attribute>: …". */
class FieldError extends Error {}

type Reader<T> = (value: unknown) => T;

const nullable =
  <T>(read: Reader<T>): Reader<T | null> =>
  (value) =>
    value === null ? null : read(value);

const finiteNumber = (value: unknown): number => {
  if (typeof value !== "number") throw new FieldError(`must be a number, not ${kindOf(value)}`);
  if (!Number.isFinite(value)) throw new FieldError("must be a finite number");
  return value;
};

const boolean: Reader<boolean> = (value) => {
  if (typeof value !== "boolean") throw new FieldError(`must be true or false, not ${kindOf(value)}`);
  return value;
};

const integer =
  (min: number, max: number): Reader<number> =>
  (value) => {
    const number = finiteNumber(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new FieldError(`must be a whole number from ${min} to ${max}, got ${number}`);
    }
    return number;
  };

/** Points as centipoints: a JSON number with at most 2 decimals, from 0 (or above 0) to the maximum. */
const points =
  (options: { positive: boolean }): Reader<bigint> =>
  (value) => {
    const number = finiteNumber(value);
    let centi: bigint;
    try {
      centi = parsePoints(number);
    } catch (error) {
      if (error instanceof InvalidAmountError) {
        throw new FieldError(`must be a number of points with at most 2 decimals, got ${number}`);
      }
      throw error;
    }
    const min = options.positive ? "above 0" : "at least 0";
    if (centi < 0n || (options.positive && centi === 0n) || centi > BigInt(LIMITS.maxPoints) * 100n) {
      throw new FieldError(`must be ${min} and at most ${LIMITS.maxPoints} points, got ${number}`);
    }
    return centi;
  };

/** Money as minor units of the shop's currency: at least 0, at most the currency's decimals. */
export const money =
  (currency: string): Reader<bigint> =>
  (value) => {
    const number = finiteNumber(value);
    const decimals = currencyExponent(currency);
    let minor: bigint;
    try {
      minor = parseMoney(number, currency);
    } catch (error) {
      if (error instanceof InvalidAmountError) {
        throw new FieldError(`must be an amount of ${currency} with at most ${decimals} decimals, got ${number}`);
      }
      throw error;
    }
    if (minor < 0n || minor > BigInt(LIMITS.maxMoney) * 10n ** BigInt(decimals)) {
      throw new FieldError(`must be at least 0 and at most ${LIMITS.maxMoney} ${currency}, got ${number}`);
    }
    return minor;
  };

/** A percentage above 0 and at most 100 with at most 2 decimals, as basis points (12.5 → 1250). */
export const percentBp: Reader<number> = (value) => {
  const number = finiteNumber(value);
  let bp: bigint;
  try {
    bp = parsePoints(number);
  } catch {
    throw new FieldError(`must be a percentage with at most 2 decimals, got ${number}`);
  }
  if (bp <= 0n || bp > 10_000n) throw new FieldError(`must be a percentage above 0 and at most 100, got ${number}`);
  return Number(bp);
};

const multiplier: Reader<number> = (value) => {
  const number = finiteNumber(value);
  try {
    return Number(parseMultiplier(number));
  } catch (error) {
    if (error instanceof InvalidAmountError) {
      throw new FieldError(`must be a multiplier above 0 and at most 100 with at most 4 decimals, got ${number}`);
    }
    throw error;
  }
};

const text =
  (max: number): Reader<string> =>
  (value) => {
    if (typeof value !== "string") throw new FieldError(`must be a string, not ${kindOf(value)}`);
    const trimmed = value.trim();
    if (trimmed === "") throw new FieldError("must not be empty");
    if (trimmed.length > max) throw new FieldError(`must be at most ${max} characters, got ${trimmed.length}`);
    return trimmed;
  };

/** Optional text: null, or "" (which clears it), or a string of at most `max` characters. */
const optionalText =
  (max: number): Reader<string | null> =>
  (value) =>
    value === null || (typeof value === "string" && value.trim() === "") ? null : text(max)(value);

const oneOf =
  <T extends string>(values: readonly T[]): Reader<T> =>
  (value) => {
    if (typeof value !== "string" || !(values as readonly string[]).includes(value)) {
      throw new FieldError(`must be one of ${values.join(", ")}; got ${kindOf(value)}`);
    }
    return value as T;
  };

const url: Reader<string | null> = (value) => {
  if (value === null || value === "") return null;
  if (typeof value !== "string") throw new FieldError(`must be an http(s) URL, not ${kindOf(value)}`);
  if (value.length > LIMITS.url) throw new FieldError(`must be at most ${LIMITS.url} characters, got ${value.length}`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new FieldError(`must be an absolute http(s) URL, got ${kindOf(value)}`);
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || !parsed.hostname || /\s/.test(value)) {
    throw new FieldError(`must be an http:// or https:// URL, got ${kindOf(value)}`);
  }
  return value;
};

const action: Reader<string> = (value) => {
  const name = text(LIMITS.action)(value);
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new FieldError(
      `must be lower-case letters, digits and underscores (like follow_on_instagram), got ${kindOf(value)}`,
    );
  }
  return name;
};

const color: Reader<string | null> = (value) => {
  if (value === null || value === "") return null;
  if (typeof value !== "string" || !/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value)) {
    throw new FieldError(`must be a hex colour like #C9A227, got ${kindOf(value)}`);
  }
  return value.toUpperCase();
};

const resourceId: Reader<string | null> = (value) => {
  if (value === null) return null;
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new FieldError(`must be the id of a VIP tier or null, got ${kindOf(value)}`);
  }
  return value;
};

/** A product variant: its numeric id (number or string) or gid; stored as the gid Shopify takes. */
const variantId: Reader<string | null> = (value) => {
  if (value === null || value === "") return null;
  const digits =
    typeof value === "number" && Number.isSafeInteger(value) && value > 0
      ? String(value)
      : typeof value === "string"
        ? (/^(?:gid:\/\/shopify\/ProductVariant\/)?([1-9]\d{0,19})$/.exec(value.trim())?.[1] ?? null)
        : null;
  if (!digits) {
    throw new FieldError(
      `must be a Shopify product variant id (123 or gid://shopify/ProductVariant/123), got ${kindOf(value)}`,
    );
  }
  return `gid://shopify/ProductVariant/${digits}`;
};

const combinesWith: Reader<{ order?: boolean; product?: boolean; shipping?: boolean }> = (value) => {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new FieldError(`must be an object {order, product, shipping} of true/false, not ${kindOf(value)}`);
  }
  const result: { order?: boolean; product?: boolean; shipping?: boolean } = {};
  for (const [key, flag] of Object.entries(value)) {
    if (key !== "order" && key !== "product" && key !== "shipping") {
      throw new FieldError(`has an unknown member ${JSON.stringify(key.slice(0, 50))}; use order, product, shipping`);
    }
    if (typeof flag !== "boolean") throw new FieldError(`${key} must be true or false, not ${kindOf(flag)}`);
    result[key] = flag;
  }
  return result;
};

// ---- write bodies --------------------------------------------------------------------------------

type Spec = Record<string, Reader<unknown>>;
type Parsed<S extends Spec> = { [K in keyof S]?: ReturnType<S[K]> };

/**
 * The attributes of a write body, in JSON:API form `{"data":{"type","attributes":{…}}}` or flat
 * `{…}`: 400 for a wrong type, an id that is not the path's, read-only or unknown attributes, or any
 * attribute of the wrong type or range (every problem named in one message).
 */
export function readAttributes<S extends Spec>(
  body: Record<string, unknown>,
  options: {
    type: string;
    spec: S;
    readOnly: readonly string[];
    id?: string;
    required?: readonly (keyof S & string)[];
  },
): Parsed<S> {
  const attributes = jsonApiAttributes(body, { type: options.type, id: options.id });

  const problems: string[] = [];
  const readOnly = Object.keys(attributes).filter((key) => options.readOnly.includes(key));
  if (readOnly.length > 0) problems.push(`${readOnly.join(", ")}: read-only, set by the server`);
  const unknown = Object.keys(attributes).filter((key) => !(key in options.spec) && !options.readOnly.includes(key));
  if (unknown.length > 0) {
    problems.push(
      `unknown attribute${unknown.length > 1 ? "s" : ""} ${unknown.map(describeKey).join(", ")}; ` +
        `the attributes are ${Object.keys(options.spec).join(", ")}`,
    );
  }
  const parsed: Record<string, unknown> = {};
  for (const [name, read] of Object.entries(options.spec)) {
    if (!(name in attributes) || attributes[name] === undefined) continue;
    try {
      parsed[name] = read(attributes[name]);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      problems.push(`${name}: ${error.message}`);
    }
  }
  for (const name of options.required ?? []) {
    if (!(name in attributes)) problems.push(`${name}: is required`);
  }
  if (problems.length === 0 && Object.keys(attributes).length === 0) {
    problems.push("attributes: give at least one attribute to change");
  }
  if (problems.length > 0) throw new ApiProblem(400, problems.join("; "));
  return parsed as Parsed<S>;
}

const READ_ONLY_COMMON = ["created_at", "updated_at"] as const;

export const earningRuleSpec = {
  name: text(LIMITS.name),
  description: optionalText(LIMITS.description),
  action,
  category: oneOf(EARNING_RULE_CATEGORIES),
  is_active: boolean,
  points_to_give: points({ positive: false }),
  customer_facing_label: optionalText(LIMITS.label),
  call_to_action_url: url,
  approval_time: integer(0, LIMITS.approvalDays),
  points_per_currency_unit: nullable(points({ positive: true })),
  rounding: oneOf<RoundingMode>(ROUNDING_MODES),
  include_shipping: boolean,
  include_tax: boolean,
  once_per_member: boolean,
};

export type EarningRuleAttributes = Parsed<typeof earningRuleSpec>;

/** A create (all required attributes) or update (any of them) of an earning rule. */
export function readEarningRuleAttributes(body: Record<string, unknown>, id?: string) {
  return readAttributes(body, {
    type: "earning_rule",
    spec: earningRuleSpec,
    readOnly: READ_ONLY_COMMON,
    id,
    required: id === undefined ? ["name", "category", "action"] : [],
  });
}

export const rewardSpec = (currency: string) => ({
  name: text(LIMITS.name),
  description: optionalText(LIMITS.description),
  discount_type: oneOf(DISCOUNT_TYPES),
  reward_type: oneOf(REWARD_TYPES),
  points_cost: nullable(points({ positive: true })),
  // Money or a percentage by discount_type: kept as the number until the type is known.
  discount_amount: nullable(finiteNumber),
  minimum_spend: nullable(money(currency)),
  is_active: boolean,
  max_redemptions: nullable(integer(1, LIMITS.maxRedemptions)),
  expiry_days: nullable(integer(1, LIMITS.expiryDays)),
  vip_tier_id: resourceId,
  free_product_variant_id: variantId,
  combines_with: combinesWith,
  points_per_currency_unit: nullable(points({ positive: true })),
  min_points: nullable(points({ positive: true })),
  max_points: nullable(points({ positive: true })),
});

export type RewardAttributes = Parsed<ReturnType<typeof rewardSpec>>;

export function readRewardAttributes(body: Record<string, unknown>, currency: string, id?: string) {
  return readAttributes(body, {
    type: "reward",
    spec: rewardSpec(currency),
    readOnly: [...READ_ONLY_COMMON, "currency_code"],
    id,
    required: id === undefined ? ["name", "discount_type"] : [],
  });
}

/**
 * discount_amount of a reward of `discountType`: minor units for fixed_amount and store_credit,
 * basis points for percentage. Throws FieldError-style ApiProblems naming the attribute.
 */
export function readDiscountAmount(value: number, discountType: string, currency: string) {
  try {
    if (discountType === "percentage") return { percentBp: percentBp(value) };
    const minor = money(currency)(value);
    if (minor === 0n) throw new FieldError(`must be above 0 for a ${discountType} reward`);
    return { amountMinor: minor };
  } catch (error) {
    if (error instanceof FieldError) throw new ApiProblem(400, `discount_amount: ${error.message}`);
    throw error;
  }
}

export const vipTierSpec = (context: TierContext) => ({
  name: text(LIMITS.tierName),
  description: optionalText(LIMITS.description),
  points_required: context.basis === "lifetime_spend" ? money(context.currency) : points({ positive: false }),
  points_multiplier: multiplier,
  badge_image_url: url,
  badge_color: color,
});

export type VipTierAttributes = Parsed<ReturnType<typeof vipTierSpec>>;

export function readVipTierAttributes(body: Record<string, unknown>, context: TierContext, id?: string) {
  return readAttributes(body, {
    type: "vip_tier",
    spec: vipTierSpec(context),
    readOnly: [...READ_ONLY_COMMON, "basis", "currency_code", "members_count", "exclusive_reward_ids"],
    id,
    required: id === undefined ? ["name", "points_required"] : [],
  });
}
