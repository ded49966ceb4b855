import { z } from "zod";

import type { Database } from "~/db.server";
import { enrolCustomer } from "~/modules/customers/enrol.server";
import { earnForOrder, reverseOrderEarnings } from "~/modules/ledger";
import { parseMoney } from "~/modules/ledger/math";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";

import type { DeliveryContext } from "./registry.server";
import { defaultCustomerLookup, type CustomerLookup } from "./shopify-customers.server";

const ACTOR = "webhook";
/** The OrderRefund row that stands for a cancellation received before the order was earned. */
const cancelKey = (orderId: string) => `cancel:${orderId}`;

const shopifyId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const money = z.union([z.string(), z.number()]);
const moneySet = z.object({ shop_money: z.object({ amount: money, currency_code: z.string().optional() }) }).nullish();

const orderPayload = z.object({
  id: shopifyId,
  name: z.string().nullish(),
  currency: z.string(),
  subtotal_price: money.nullish(),
  subtotal_price_set: moneySet,
  total_tax: money.nullish(),
  total_tax_set: moneySet,
  total_shipping_price_set: moneySet,
  processed_at: z.string().nullish(),
  created_at: z.string().nullish(),
  customer: z.object({ id: shopifyId }).passthrough().nullish(),
  discount_codes: z.array(z.object({ code: z.string() }).passthrough()).nullish(),
});

const refundPayload = z.object({
  id: shopifyId,
  order_id: shopifyId,
  refund_line_items: z.array(z.object({ subtotal: money.nullish(), subtotal_set: moneySet }).passthrough()).default([]),
});

const cancelPayload = z.object({ id: shopifyId });

function requireShop(delivery: DeliveryContext) {
  if (!delivery.shopId) throw new Error(`No shop for ${delivery.shopDomain}`);
  return delivery.shopId;
}

const amountOf = (set: z.infer<typeof moneySet>, plain: string | number | null | undefined, currency: string) => {
  const value = set?.shop_money.amount ?? plain;
  return value === null || value === undefined ? 0n : parseMoney(value, currency);
};

const log = (db: Database, shopId: string, memberId: string | null, type: string, message: string, data: object) =>
  db.activityLog.create({
    data: { shopId, memberId, type, message, actor: ACTOR, data: JSON.stringify(data) },
  });

/** The cumulative refunded merchandise of an order in the delivering shop (cancellation markers excluded). */
async function refundedTotal(db: Database, shopId: string, shopifyOrderId: string) {
  const refunds = await db.orderRefund.findMany({ where: { shopId, shopifyOrderId } });
  return refunds
    .filter((r) => r.shopifyRefundId !== cancelKey(shopifyOrderId))
    .reduce((total, r) => total + r.amountMinor, 0n);
}

/**
 * orders/paid: purchase rules earn on the shop-currency subtotal after discounts (shipping and tax
 * as each rule says) with the tier multiplier, pending per the rule's approval time — through
 * earnForOrder, once per order and rule. Refunds and a cancellation that arrived first are applied
 * at once. A Pointwise code in discount_codes marks that member's active reward used.
 */
export async function handleOrderPaid(
  db: Database,
  delivery: DeliveryContext,
  lookup: CustomerLookup = defaultCustomerLookup,
) {
  const shopId = requireShop(delivery);
  const order = orderPayload.parse(delivery.payload);
  const currency = order.subtotal_price_set?.shop_money.currency_code ?? order.currency;
  const label = order.name ?? order.id;
  if (!order.customer) {
    await log(db, shopId, null, "guest_order", `Order ${label} has no customer (guest checkout): no points`, {
      orderId: order.id,
    });
    return;
  }
  // Looked up in the delivering shop only: another shop's order body names a customer unknown here.
  const known = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: order.customer.id } },
  });
  const member = known ?? (await enrolFromOrder(db, delivery, shopId, order.customer.id, label, lookup));
  if (!member) return;
  const orderAt = new Date(order.processed_at ?? order.created_at ?? delivery.now);
  await markRewardsUsed(db, shopId, member.id, order.discount_codes ?? [], label, orderAt);

  const cancelled = await db.orderRefund.findUnique({
    where: { shopId_shopifyRefundId: { shopId, shopifyRefundId: cancelKey(order.id) } },
  });
  if (cancelled) {
    await log(db, shopId, member.id, "order_cancelled", `Order ${label} was cancelled before it was paid: no points`, {
      orderId: order.id,
    });
    return;
  }
  await earnForOrder(db, {
    shopId,
    memberId: member.id,
    shopifyOrderId: order.id,
    orderNumber: order.name ?? null,
    currency,
    // subtotal_price is after discounts already.
    subtotalMinor: amountOf(order.subtotal_price_set, order.subtotal_price, currency),
    discountsMinor: 0n,
    shippingMinor: amountOf(order.total_shipping_price_set, null, currency),
    taxMinor: amountOf(order.total_tax_set, order.total_tax, currency),
    actor: ACTOR,
    at: delivery.now,
  });
  // A refund or cancellation processed meanwhile (before this order was known) is applied now.
  const earned = await db.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: order.id } } });
  if (!earned) return;
  const cancelledMeanwhile = await db.orderRefund.findUnique({
    where: { shopId_shopifyRefundId: { shopId, shopifyRefundId: cancelKey(order.id) } },
  });
  if (cancelledMeanwhile && !earned.cancelledAt) {
    await reverseOrderEarnings(db, {
      shopId,
      shopifyOrderId: order.id,
      cancelled: true,
      actor: ACTOR,
      at: delivery.now,
    });
    return;
  }
  const refunded = await refundedTotal(db, shopId, order.id);
  if (refunded > earned.refundedMinor) {
    await reverseOrderEarnings(db, {
      shopId,
      shopifyOrderId: order.id,
      refundedTotalMinor: refunded,
      actor: ACTOR,
      at: delivery.now,
    });
  }
}

/**
 * The first paid order of a Shopify customer Pointwise has not met: the customer is enrolled in the
 * delivering shop, then earns. The X-Shopify-Shop-Domain header is not covered by the HMAC, so a body
 * taken from another shop could be replayed under this shop's name: the customer is therefore looked
 * up in the delivering shop through the Admin API (customer ids are global, another shop's customer
 * is not found here) and the member is made from Shopify's answer, never from the body's email or
 * names. Shopify unreachable → the delivery is retried. Not this shop's customer → logged, no points.
 */
async function enrolFromOrder(
  db: Database,
  delivery: DeliveryContext,
  shopId: string,
  shopifyCustomerId: string,
  label: string,
  lookup: CustomerLookup,
) {
  const customer = await lookup(delivery.shopDomain, shopifyCustomerId);
  if (!customer || customer.shopifyCustomerId !== shopifyCustomerId) {
    await log(
      db,
      shopId,
      null,
      "order_customer_unknown",
      `Order ${label} names a customer this shop does not have: no points`,
      {
        shopifyCustomerId,
      },
    );
    return null;
  }
  const { member } = await enrolCustomer(db, shopId, customer, { actor: ACTOR, at: delivery.now });
  return member;
}

async function markRewardsUsed(
  db: Database,
  shopId: string,
  memberId: string,
  codes: { code: string }[],
  label: string,
  at: Date,
) {
  if (codes.length === 0) return;
  const wanted = new Set(codes.map((c) => c.code.trim().toUpperCase()));
  const active = await db.customerReward.findMany({
    where: { shopId, memberId, status: "active", discountCode: { not: null } },
  });
  for (const reward of active) {
    if (!wanted.has(reward.discountCode!.toUpperCase())) continue;
    const { count } = await db.customerReward.updateMany({
      where: { id: reward.id, shopId, status: "active" },
      data: { status: "used", usedAt: at },
    });
    if (count === 1) {
      await log(db, shopId, memberId, "reward_used", `Reward code ${reward.discountCode} used on order ${label}`, {
        customerRewardId: reward.id,
        discountCode: reward.discountCode,
      });
    }
  }
}

/**
 * refunds/create: the refund is stored once (by its id) and the order's earnings reversed in
 * proportion to the cumulative refunded merchandise. A refund for an order not earned yet waits
 * for orders/paid, which applies it.
 */
export async function handleRefundCreated(db: Database, delivery: DeliveryContext) {
  const shopId = requireShop(delivery);
  const refund = refundPayload.parse(delivery.payload);
  const order = await db.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: refund.order_id } },
  });
  const currency = order?.currency ?? (await db.shop.findUniqueOrThrow({ where: { id: shopId } })).currencyCode;
  const amount = refund.refund_line_items.reduce(
    (total, line) => total + amountOf(line.subtotal_set, line.subtotal, currency),
    0n,
  );
  try {
    await db.orderRefund.create({
      data: { shopId, shopifyOrderId: refund.order_id, shopifyRefundId: refund.id, amountMinor: amount },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (!order) return;
  await reverseOrderEarnings(db, {
    shopId,
    shopifyOrderId: refund.order_id,
    refundedTotalMinor: await refundedTotal(db, shopId, refund.order_id),
    actor: ACTOR,
    at: delivery.now,
  });
}

/** orders/cancelled: pending points rejected, approved ones reversed; remembered when it comes first. */
export async function handleOrderCancelled(db: Database, delivery: DeliveryContext) {
  const shopId = requireShop(delivery);
  const { id } = cancelPayload.parse(delivery.payload);
  try {
    await db.orderRefund.create({
      data: { shopId, shopifyOrderId: id, shopifyRefundId: cancelKey(id), amountMinor: 0n },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const order = await db.order.findUnique({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: id } } });
  if (!order || order.cancelledAt) return;
  await reverseOrderEarnings(db, { shopId, shopifyOrderId: id, cancelled: true, actor: ACTOR, at: delivery.now });
}
