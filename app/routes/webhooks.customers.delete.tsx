import { z } from "zod";

import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";
import { forgetCustomer } from "~/modules/customers/customers.server";

const payload = z.object({ id: z.union([z.number(), z.string()]).transform(String) });

export const action = webhookAction("customers/delete", ({ shop, payload: body }) =>
  forgetCustomer(database(), shop, payload.parse(body).id),
);
