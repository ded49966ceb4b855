import { z, type ZodType } from "zod";

import type { Database } from "~/db.server";
import {
  assembleDataRequest,
  markCustomerDeleted,
  redactCustomer,
  redactShopData,
} from "~/modules/customers/compliance.server";
import { shopifyCustomerPayload, syncCustomerFromShopify } from "~/modules/customers/customers.server";
import { enrolCustomer } from "~/modules/customers/enrol.server";
import { recordUninstallation } from "~/modules/shops/shops.server";

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
const dataRequestPayload = z.object({
  customer: z.object({ id: shopifyId }),
  data_request: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).nullish(),
});

/** Topic (in topicKey form, e.g. ORDERS_PAID) → what the worker does with its deliveries. */
export const webhookHandlers: Record<string, TopicEntry> = {
  // Enrols the customer, with the shop's sign-up bonus once.
  CUSTOMERS_CREATE: {
    schema: shopifyCustomerPayload,
    handle: async (db, d) => {
      if (!d.shopId) return;
      const customer = shopifyCustomerPayload.parse(d.payload);
      await enrolCustomer(
        db,
        d.shopId,
        {
          shopifyCustomerId: customer.id,
          email: customer.email,
          firstName: customer.first_name,
          lastName: customer.last_name,
        },
        { actor: "webhook", at: d.now },
      );
    },
  },
  // Email and names (Shopify's REST customer payload carries no birthday).
  CUSTOMERS_UPDATE: {
    schema: shopifyCustomerPayload,
    handle: async (db, d) => void (await syncCustomerFromShopify(db, d.shopDomain, d.payload)),
  },
  // The member is marked deleted; their history stays.
  CUSTOMERS_DELETE: {
    schema: deletePayload,
    handle: async (db, d) =>
      void (await markCustomerDeleted(db, d.shopDomain, deletePayload.parse(d.payload).id, d.now)),
  },
  // Compliance: the customer's personal data erased, the ledger kept anonymous.
  CUSTOMERS_REDACT: {
    schema: redactPayload,
    handle: async (db, d) =>
      void (await redactCustomer(db, {
        shopDomain: d.shopDomain,
        shopifyCustomerId: redactPayload.parse(d.payload).customer.id,
        deliveryId: d.id,
        at: d.now,
      })),
  },
  // Compliance: the member's loyalty data assembled for the merchant (an activity line of type data_request).
  CUSTOMERS_DATA_REQUEST: {
    schema: dataRequestPayload,
    handle: async (db, d) => {
      const body = dataRequestPayload.parse(d.payload);
      await assembleDataRequest(db, {
        shopDomain: d.shopDomain,
        shopifyCustomerId: body.customer.id,
        dataRequestId: body.data_request?.id ?? null,
        at: d.now,
      });
    },
  },
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
  // Compliance: 48 hours after uninstall, every row of the shop is deleted, its inbox (this delivery too) included.
  SHOP_REDACT: { handle: (db, d) => redactShopData(db, d.shopDomain) },
  ORDERS_PAID: { handle: handleOrderPaid },
  ORDERS_CANCELLED: { handle: handleOrderCancelled },
  REFUNDS_CREATE: { handle: handleRefundCreated },
};
