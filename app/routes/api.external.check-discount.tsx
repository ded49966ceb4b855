import { apiRoute, readJsonObject } from "~/lib/api.server";
import { checkDiscount } from "~/modules/api/appstle-discounts.server";
import { customerFields, customerIdentifier, textField, validate, withOneCustomer } from "~/modules/api/appstle.server";

// PUT /api/external/check-discount — `{customerId | customerEmail, discountCode}`: whether the code
// exists in the shop, is the customer's, unused and unexpired. Answers
// `{valid, reason, discountCode, status}`; reason is null or NOT_FOUND, NOT_YOURS, USED, EXPIRED, REFUNDED.
const body = withOneCustomer({
  ...customerFields,
  discountCode: textField(255)
    .transform((code) => code.trim())
    .refine((code) => code.length > 0, { error: "must not be empty" }),
});

export const action = apiRoute("appstle", {
  PUT: async ({ request, db, shopId }) => {
    const input = validate(body, await readJsonObject(request));
    return Response.json(
      await checkDiscount(db, { shopId, identifier: customerIdentifier(input), discountCode: input.discountCode }),
    );
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
