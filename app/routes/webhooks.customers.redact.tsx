import { z } from "zod";

import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";
import { forgetCustomer } from "~/modules/customers/customers.server";

// Compliance: Shopify asks for one customer's data to be erased.
const payload = z.object({ customer: z.object({ id: z.union([z.number(), z.string()]).transform(String) }) });

export const action = webhookAction("customers/redact", ({ shop, payload: body }) =>
  forgetCustomer(database(), shop, payload.parse(body).customer.id),
);
