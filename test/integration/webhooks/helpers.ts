import type { Database } from "~/db.server";
import { drainWorker } from "~/jobs/worker.server";

import { TEST_SHOP, webhookRequest } from "../../helpers/requests";
import { callRoute } from "../../helpers/routes";

/** Empties what the webhook tests write (the inbox has no foreign key to Shop). */
export async function resetWebhookData(db: Database) {
  await db.webhookDelivery.deleteMany();
  await db.orderRefund.deleteMany();
  await db.shop.deleteMany();
  await db.session.deleteMany();
}

/** POSTs a really signed webhook to its route; returns the HTTP status. */
export async function post(topic: string, payload: unknown, options: { shop?: string; webhookId?: string } = {}) {
  const request = webhookRequest(topic, payload, {
    shop: options.shop ?? TEST_SHOP,
    ...(options.webhookId ? { headers: { "X-Shopify-Webhook-Id": options.webhookId } } : {}),
  });
  return (await callRoute("action", `/webhooks/${topic}`, request)).status;
}

/** POSTs the webhook, then lets the worker process the inbox at `now`. */
export async function deliver(
  db: Database,
  topic: string,
  payload: unknown,
  options: { shop?: string; webhookId?: string; now?: Date } = {},
) {
  const status = await post(topic, payload, options);
  await drainWorker(db, { now: options.now ?? new Date() });
  return status;
}

let orderSequence = 5_820_000_000_000;

/** A REST orders/paid payload, amounts in the shop's currency (USD). */
export function orderPayload(input: {
  id?: number;
  customerId?: string | null;
  subtotal: string;
  shipping?: string;
  tax?: string;
  codes?: string[];
  processedAt?: string;
}) {
  const id = input.id ?? (orderSequence += 1);
  const set = (amount: string) => ({
    shop_money: { amount, currency_code: "USD" },
    presentment_money: { amount, currency_code: "USD" },
  });
  return {
    id,
    name: `#${id % 10_000}`,
    currency: "USD",
    presentment_currency: "USD",
    subtotal_price: input.subtotal,
    subtotal_price_set: set(input.subtotal),
    total_shipping_price_set: set(input.shipping ?? "0.00"),
    total_tax: input.tax ?? "0.00",
    total_tax_set: set(input.tax ?? "0.00"),
    processed_at: input.processedAt ?? "2026-11-20T10:00:00Z",
    discount_codes: (input.codes ?? []).map((code) => ({ code, amount: "5.00", type: "fixed_amount" })),
    customer: input.customerId ? { id: Number(input.customerId), email: "ada@example.com" } : null,
  };
}

/** A REST refunds/create payload refunding `amounts` of merchandise (one line each). */
export function refundPayload(orderId: number, refundId: number, amounts: string[]) {
  return {
    id: refundId,
    order_id: orderId,
    created_at: "2026-11-21T10:00:00Z",
    refund_line_items: amounts.map((amount, index) => ({
      id: refundId * 10 + index,
      quantity: 1,
      subtotal: Number(amount),
      subtotal_set: {
        shop_money: { amount, currency_code: "USD" },
        presentment_money: { amount, currency_code: "USD" },
      },
      total_tax: 0,
    })),
    transactions: [],
  };
}
