import { randomInt } from "node:crypto";

import type { Database } from "~/db.server";
import {
  LedgerError,
  activateReservedReward,
  cancelReservedReward,
  CustomerRewardNotFoundError,
  purchaseReward,
  type PurchaseRewardInput,
} from "~/modules/ledger";
import { formatMoney } from "~/modules/ledger/math";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  createRewardDiscount,
  DiscountCodeTakenError,
  findDiscountIdByCode,
  ShopifyUnavailableError,
  type RewardDiscountSpec,
  type RewardDiscountValue,
} from "~/shopify/discounts.server";
import { creditStoreCredit, findStoreCreditSince } from "~/shopify/store-credit.server";

/** A discount is tied to a Shopify customer; a member imported by email alone has none yet. */
export class MemberNotLinkedError extends LedgerError {
  readonly code = "member_not_linked";
  readonly status = 422;
  constructor() {
    super("This customer has no Shopify customer account yet, so no discount code can be made for them");
  }
}

/** A reward whose settings cannot become a Shopify discount (e.g. free product without a variant). */
export class RewardMisconfiguredError extends LedgerError {
  readonly code = "reward_misconfigured";
  readonly status = 422;
}

/** Unambiguous characters for codes a shopper may type (no 0/O, 1/I/L). */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_RANDOM_LENGTH = 10;
/**
 * Prefix of reward codes when neither the caller nor the shop (Shop.discountCodePrefix) names one:
 * letters, digits, dashes; at most 20 characters.
 */
export const DEFAULT_CODE_PREFIX = "PW";
const PREFIX_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

/**
 * A discount code: prefix and 10 characters from a 31-letter alphabet (~49.5 bits), each drawn by
 * crypto.randomInt, which rejects out-of-range samples (no modulo bias). Unguessable; uniqueness per
 * shop is enforced by CustomerReward's (shopId, discountCode) index and by Shopify (TAKEN).
 */
export function generateDiscountCode(prefix = DEFAULT_CODE_PREFIX) {
  if (!PREFIX_PATTERN.test(prefix)) throw new RangeError(`Invalid discount code prefix: ${prefix}`);
  let random = "";
  for (let i = 0; i < CODE_RANDOM_LENGTH; i++) random += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${prefix}-${random}`;
}

type Reservation = NonNullable<Awaited<ReturnType<typeof loadReservation>>>;

function loadReservation(db: Database, shopId: string, customerRewardId: string) {
  return db.customerReward.findFirst({
    where: { id: customerRewardId, shopId },
    include: { reward: true, member: true, shop: true },
  });
}

/** What the Shopify discount of this purchase gives: variable rewards are a fixed amount of their value. */
function discountValueOf(row: Reservation): RewardDiscountValue {
  const { reward, shop } = row;
  const amount = row.valueMinor ?? reward.discountAmountMinor;
  if (reward.isVariable || reward.discountType === "fixed_amount") {
    if (amount === null || amount <= 0n) throw new RewardMisconfiguredError("This reward has no discount amount");
    return { kind: "fixed_amount", amount: formatMoney(amount, shop.currencyCode) };
  }
  if (reward.discountType === "percentage") {
    const bp = reward.discountPercentBp;
    if (bp === null || bp <= 0 || bp > 10_000)
      throw new RewardMisconfiguredError("This reward has no valid percentage");
    return { kind: "percentage", percentage: bp / 10_000 };
  }
  if (reward.discountType === "free_shipping") return { kind: "free_shipping" };
  if (reward.discountType === "free_product") {
    const variant = reward.freeProductVariantId;
    if (!variant) throw new RewardMisconfiguredError("This free-product reward has no product variant");
    return {
      kind: "free_product",
      variantGid: variant.startsWith("gid://") ? variant : `gid://shopify/ProductVariant/${variant}`,
    };
  }
  throw new RewardMisconfiguredError(`Unknown reward type ${reward.discountType}`);
}

function discountSpec(row: Reservation, code: string, customerGid: string): RewardDiscountSpec {
  const { reward, shop } = row;
  return {
    code,
    title: `${reward.name} — ${code}`,
    customerGid,
    value: discountValueOf(row),
    minimumSubtotal: reward.minimumSpendMinor ? formatMoney(reward.minimumSpendMinor, shop.currencyCode) : null,
    startsAt: new Date(),
    endsAt: row.expiresAt,
    combinesWith: {
      orderDiscounts: reward.combinesWithOrder,
      productDiscounts: reward.combinesWithProduct,
      shippingDiscounts: reward.combinesWithShipping,
    },
  };
}

/** Stores a new code on a still-pending reservation (after Shopify said the old one is taken). */
async function replaceCode(db: Database, row: Reservation, prefix: string) {
  const code = generateDiscountCode(prefix);
  const { count } = await db.customerReward.updateMany({
    where: { id: row.id, shopId: row.shopId, status: "pending" },
    data: { discountCode: code },
  });
  return count === 1 ? code : null;
}

export interface FulfilOptions {
  actor: string;
  /** Look the code up in Shopify before creating it (resuming a purchase that may have got that far). */
  lookUpFirst?: boolean;
  codePrefix?: string;
}

/**
 * Turns a pending reservation into an active reward: makes its Shopify discount (or credits store
 * credit) and activates it. Shopify refusing (userErrors, a misconfigured reward, a member with no
 * Shopify customer) cancels the reservation — every point back — and rethrows; Shopify unreachable
 * rethrows ShopifyUnavailableError and leaves the reservation to the caller.
 */
export async function fulfilReservation(
  db: Database,
  graphql: AdminGraphql,
  shopId: string,
  customerRewardId: string,
  options: FulfilOptions,
) {
  const row = await loadReservation(db, shopId, customerRewardId);
  if (!row) throw new CustomerRewardNotFoundError(customerRewardId);
  const cancel = (reason: string) =>
    cancelReservedReward(db, { shopId, customerRewardId: row.id, actor: options.actor, reason });
  const activate = (discountCode: string | null, shopifyDiscountId: string | null) =>
    activateReservedReward(db, {
      shopId,
      customerRewardId: row.id,
      discountCode,
      shopifyDiscountId,
      actor: options.actor,
    });

  if (!row.member.shopifyCustomerId) {
    await cancel("the member has no Shopify customer");
    throw new MemberNotLinkedError();
  }
  const customerGid = `gid://shopify/Customer/${row.member.shopifyCustomerId}`;
  try {
    if (row.reward.discountType === "store_credit") {
      const amount = row.valueMinor ?? row.reward.discountAmountMinor;
      if (amount === null || amount <= 0n) throw new RewardMisconfiguredError("This reward has no store credit amount");
      const credit = {
        customerGid,
        amount: formatMoney(amount, row.shop.currencyCode),
        currencyCode: row.shop.currencyCode,
      };
      if (options.lookUpFirst && (await findStoreCreditSince(graphql, { ...credit, since: row.createdAt }))) {
        return await activate(null, null);
      }
      await creditStoreCredit(graphql, { ...credit, expiresAt: row.expiresAt });
      return await activate(null, null);
    }
    const prefix = options.codePrefix ?? row.shop.discountCodePrefix;
    let code = row.discountCode ?? generateDiscountCode(prefix);
    if (options.lookUpFirst && row.discountCode) {
      const found = await findDiscountIdByCode(graphql, row.discountCode);
      if (found) return await activate(row.discountCode, found);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await createRewardDiscount(graphql, discountSpec(row, code, customerGid));
        return await activate(code, id);
      } catch (error) {
        if (!(error instanceof DiscountCodeTakenError)) throw error;
        // Resuming, a taken code is ours: another resumer (or the interrupted purchase) made it.
        if (options.lookUpFirst) {
          const found = await findDiscountIdByCode(graphql, code);
          if (found) return await activate(code, found);
        }
        // A fresh purchase met someone else's code: one more try with a new one.
        if (attempt >= 1) throw error;
        const replaced = await replaceCode(db, row, prefix);
        if (!replaced) throw error;
        code = replaced;
      }
    }
  } catch (error) {
    if (error instanceof ShopifyUnavailableError) throw error;
    await cancel(error instanceof Error ? `Shopify refused: ${error.message}` : "Shopify refused");
    throw error;
  }
}

/**
 * Buys a reward with points and gives the member its Shopify discount code (or store credit): the
 * points are reserved in the ledger first, then the discount is created in Shopify (the one
 * synchronous call), then the reward is activated. If Shopify cannot be reached the reservation is
 * undone — every point comes back — and ShopifyUnavailableError is thrown (the APIs answer 503); if
 * Shopify refuses, the points come back too and ShopifyDiscountRejectedError is thrown (422).
 */
export async function purchaseRewardWithDiscount(
  db: Database,
  graphql: AdminGraphql,
  input: Omit<PurchaseRewardInput, "discountCode" | "initialStatus">,
  options: { codePrefix?: string } = {},
) {
  const kind = await db.reward.findFirst({
    where: { id: input.rewardId, shopId: input.shopId },
    select: { discountType: true, shop: { select: { discountCodePrefix: true } } },
  });
  const prefix = options.codePrefix ?? kind?.shop.discountCodePrefix ?? DEFAULT_CODE_PREFIX;
  const code = kind?.discountType === "store_credit" ? null : generateDiscountCode(prefix);
  const startedAt = new Date();
  const reserved = await purchaseReward(db, { ...input, discountCode: code, initialStatus: "pending" });
  // A replay (same Idempotency-Key) of a purchase that has finished: answer as it ended.
  const current = await db.customerReward.findUniqueOrThrow({
    where: { id: reserved.id },
    include: { reward: { select: { name: true, discountType: true } } },
  });
  if (current.status === "failed") throw new ShopifyUnavailableError("the original purchase could not reach Shopify");
  if (current.status !== "pending") {
    return { ...current, rewardName: current.reward.name, discountType: current.reward.discountType };
  }
  try {
    return await fulfilReservation(db, graphql, input.shopId, reserved.id, {
      actor: input.actor,
      codePrefix: prefix,
      // A replay of a purchase still in flight may find its discount made already.
      lookUpFirst: current.createdAt < startedAt,
    });
  } catch (error) {
    if (error instanceof ShopifyUnavailableError) {
      await cancelReservedReward(db, {
        shopId: input.shopId,
        customerRewardId: reserved.id,
        actor: input.actor,
        reason: "Shopify unreachable",
      });
    }
    throw error;
  }
}
