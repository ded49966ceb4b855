import { z } from "zod";

import { apiRoute, readJsonObject } from "~/lib/api.server";
import {
  customerFields,
  customerIdentifier,
  customerLoyalty,
  positivePoints,
  textField,
  validate,
  withOneCustomer,
} from "~/modules/api/appstle.server";
import { adjustPoints } from "~/modules/ledger";

// POST /api/external/add-points — Appstle's "add points to customer account" (seed 003): added to the
// available points at once; answers the customer loyalty object.
const body = withOneCustomer({
  points: z.number({ error: "must be a number (not a string)" }),
  ...customerFields,
  earnRuleId: z
    .union([z.number().int(), textField(100)], { error: "must be an earn rule ID (a whole number)" })
    .nullish(),
  note: textField(500, "note").nullish(),
});

export const action = apiRoute("appstle", {
  POST: async ({ request, db, shopId, actor, idempotencyKey }) => {
    const input = validate(body, await readJsonObject(request));
    const centipoints = positivePoints(input.points);
    const { earnRuleId, note } = input;
    const { memberId } = await adjustPoints(db, {
      shopId,
      identifier: customerIdentifier(input),
      deltaCenti: centipoints,
      note: [note, earnRuleId != null ? `earn rule ${earnRuleId}` : null].filter(Boolean).join(" — ") || null,
      source: "api",
      actor,
      idempotencyKey,
    });
    return Response.json(await customerLoyalty(db, memberId));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
