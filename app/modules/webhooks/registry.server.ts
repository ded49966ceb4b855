import { z, type ZodType } from "zod";

import type { Database } from "~/db.server";
import { forgetCustomer, shopifyCustomerPayload, syncCustomerFromShopify } from "~/modules/customers/customers.server";
import { recordUninstallation, redactShop } from "~/modules/shops/shops.server";

import { handleOrderCancelled, handleOrderPaid, handleRefundCreated } from "./orders.server";

/** One stored delivery, as a handler receives it. */
export interface DeliveryContext {
  id: string;
  shopDomain: string;
  shopId: string | null;
  topic: string;
  webhookId: string;
  payload: unknown;
  now: Date;
}

export type TopicHandler = (db: Database, delivery: DeliveryContext) => Promise<void>;

export interface TopicEntry {
  /** Checked by the route before the delivery is stored: a payload of the wrong shape answers 400. */
  schema?: ZodType;
  handle: TopicHandler;
}

const shopifyId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const scopesPayload = z.object({ current: z.array(z.string()) });
const deletePayload = z.object({ id: shopifyId });
const redactPayload = z.object({ customer: z.object({ id: shopifyId }) });

/** Topic (in topicKey form, e.g. ORDERS_PAID) → what the worker does with its deliveries. */
export const webhookHandlers: Record<string, TopicEntry> = {
  CUSTOMERS_CREATE: {
    schema: shopifyCustomerPayload,
    handle: async (db, d) => void (await syncCustomerFromShopify(db, d.shopDomain, d.payload)),
  },
  CUSTOMERS_UPDATE: {
    schema: shopifyCustomerPayload,
    handle: async (db, d) => void (await syncCustomerFromShopify(db, d.shopDomain, d.payload)),
  },
  CUSTOMERS_DELETE: {
    schema: deletePayload,
    handle: async (db, d) => void (await forgetCustomer(db, d.shopDomain, deletePayload.parse(d.payload).id)),
  },
  // Compliance: Shopify asks for one customer's data to be erased.
  CUSTOMERS_REDACT: {
    schema: redactPayload,
    handle: async (db, d) => void (await forgetCustomer(db, d.shopDomain, redactPayload.parse(d.payload).customer.id)),
  },
  // Compliance: verified, stored and acknowledged; assembling the export is not built yet.
  CUSTOMERS_DATA_REQUEST: { handle: async () => {} },
  APP_UNINSTALLED: { handle: (db, d) => recordUninstallation(db, d.shopDomain) },
  APP_SCOPES_UPDATE: {
    schema: scopesPayload,
    handle: async (db, d) => {
      const { current } = scopesPayload.parse(d.payload);
      await db.session.updateMany({
        where: { shop: d.shopDomain, isOnline: false },
        data: { scope: current.join(",") },
      });
    },
  },
  // Compliance: 48 hours after uninstall, everything of the shop is deleted, its inbox included.
  SHOP_REDACT: {
    handle: async (db, d) => {
      await redactShop(db, d.shopDomain);
      if (d.shopId) await db.orderRefund.deleteMany({ where: { shopId: d.shopId } });
      await db.webhookDelivery.deleteMany({ where: { shopDomain: d.shopDomain, id: { not: d.id } } });
      await db.webhookDelivery.update({ where: { id: d.id }, data: { payload: "{}" } });
    },
  },
  ORDERS_PAID: { handle: handleOrderPaid },
  ORDERS_CANCELLED: { handle: handleOrderCancelled },
  REFUNDS_CREATE: { handle: handleRefundCreated },
};
