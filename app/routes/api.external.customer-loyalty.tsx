import { z } from "zod";

import { apiRoute } from "~/lib/api.server";
import {
  customerEmailField,
  customerLoyalty,
  queryObject,
  REWARD_STATUS_FILTERS,
  validate,
  withOneCustomer,
} from "~/modules/api/appstle.server";
import { requireMember } from "~/modules/ledger";

// GET /api/external/customer-loyalty?customerId=…|customerEmail=…[&status=UNUSED|ACTIVE|USED|EXPIRED|REFUNDED]
// — a customer's loyalty object; `status` filters its rewards (UNUSED and ACTIVE both mean unused).
const STATUSES = Object.keys(REWARD_STATUS_FILTERS) as [keyof typeof REWARD_STATUS_FILTERS];

const query = withOneCustomer({
  customerId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, { error: "must be a Shopify customer ID (digits only)" })
    .optional(),
  customerEmail: customerEmailField.optional(),
  status: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` }))
    .optional(),
});

export const action = apiRoute("appstle", {
  GET: async ({ request, db, shopId }) => {
    const input = validate(query, queryObject(request, ["customerId", "customerEmail", "status"]));
    const member = await requireMember(db, shopId, String(input.customerId ?? input.customerEmail));
    return Response.json(
      await customerLoyalty(db, member.id, {
        rewardStatus: input.status ? REWARD_STATUS_FILTERS[input.status] : undefined,
      }),
    );
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
