import { z } from "zod";

import { apiRoute, readJsonObject } from "~/lib/api.server";
import { updateDiscount } from "~/modules/api/appstle-discounts.server";
import { customerFields, customerIdentifier, textField, validate, withOneCustomer } from "~/modules/api/appstle.server";

// PUT /api/external/update-discount — `{customerId | customerEmail, discountCode, status}` with status
// USED, UNUSED, EXPIRED or REFUNDED (points back). Answers the updated reward.
const STATUSES = ["USED", "UNUSED", "EXPIRED", "REFUNDED"] as const;

const body = withOneCustomer({
  ...customerFields,
  discountCode: textField(255)
    .transform((code) => code.trim())
    .refine((code) => code.length > 0, { error: "must not be empty" }),
  status: z
    .string({ error: `must be one of ${STATUSES.join(", ")}` })
    .trim()
    .toUpperCase()
    .pipe(z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` })),
});

export const action = apiRoute("appstle", {
  PUT: async ({ request, db, shopId, actor, idempotencyKey }) => {
    const input = validate(body, await readJsonObject(request));
    return Response.json(
      await updateDiscount(db, {
        shopId,
        identifier: customerIdentifier(input),
        discountCode: input.discountCode,
        status: input.status,
        actor,
        idempotencyKey,
      }),
    );
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
