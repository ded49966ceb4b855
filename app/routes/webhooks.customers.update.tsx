import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";
import { syncCustomerFromShopify } from "~/modules/customers/customers.server";

export const action = webhookAction("customers/update", ({ shop, payload }) =>
  syncCustomerFromShopify(database(), shop, payload),
);
