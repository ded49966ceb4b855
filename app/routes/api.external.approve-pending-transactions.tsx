import { z } from "zod";

import { ApiProblem, apiRoute } from "~/lib/api.server";
import { approveCustomerTransactions } from "~/modules/api/appstle-customers.server";
import { customerIdField, queryObject, readJsonBody, textField, validate } from "~/modules/api/appstle.server";
import { approvePendingLots } from "~/modules/ledger";

// PUT /api/external/approve-pending-transactions — approves pending points before their time:
// `?approveAllPendingTransactions=true` every pending transaction of the shop, otherwise the body's
// `[{transactionId, customerId}]` (all or none). Answers `{"approved": n}`.
const MAX_TRANSACTIONS = 500;

const transactions = z
  .array(
    z.object({
      // Lot ids are strings; a whole number is read as its digits (Appstle's ids are numbers).
      transactionId: z.preprocess(
        (id) => (typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? String(id) : id),
        textField(100)
          .transform((id) => id.trim())
          .refine((id) => id.length > 0, { error: "must not be empty" }),
      ),
      customerId: customerIdField.transform(String),
    }),
    { error: "must be a JSON array of {transactionId, customerId}" },
  )
  .min(1, { error: "give at least one transaction, or ?approveAllPendingTransactions=true" })
  .max(MAX_TRANSACTIONS, { error: `give at most ${MAX_TRANSACTIONS} transactions per request` });

const flag = z
  .enum(["true", "false"], { error: "must be true or false" })
  .optional()
  .transform((value) => value === "true");

export const action = apiRoute("appstle", {
  PUT: async ({ request, db, shopId, actor }) => {
    const query = queryObject(request, ["approveAllPendingTransactions"]);
    const all = validate(z.object({ approveAllPendingTransactions: flag }), {
      approveAllPendingTransactions: query.approveAllPendingTransactions?.trim().toLowerCase(),
    }).approveAllPendingTransactions;
    if (all) return Response.json({ approved: await approvePendingLots(db, { shopId, actor }) });
    const body = await readJsonBody(request);
    if (body === undefined)
      throw new ApiProblem(400, "body: give [{transactionId, customerId}] or ?approveAllPendingTransactions=true");
    const approved = await approveCustomerTransactions(db, {
      shopId,
      transactions: validate(transactions, body),
      actor,
    });
    return Response.json({ approved });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
