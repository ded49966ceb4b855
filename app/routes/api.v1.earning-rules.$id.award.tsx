import { z } from "zod";

import { ApiProblem, apiRoute, readJsonObject } from "~/lib/api.server";
import { earningHistoryEntry } from "~/modules/api/mage";
import { awardEarningRule } from "~/modules/ledger";

// POST /api/v1/earning-rules/{id}/award — Mage's "award an earning rule" (seeds 000/001).
const body = z.object({
  customer_identifier: z.union([z.string().trim().min(1).max(320), z.number().int().positive().transform(String)]),
});

export const action = apiRoute("mage", {
  POST: async ({ request, params, db, shopId, actor, idempotencyKey }) => {
    const parsed = body.safeParse(await readJsonObject(request));
    if (!parsed.success) {
      throw new ApiProblem(400, "customer_identifier is required: a Shopify customer ID or an email address");
    }
    const entry = await awardEarningRule(db, {
      shopId,
      ruleId: params.id ?? "",
      identifier: parsed.data.customer_identifier,
      actor,
      idempotencyKey,
    });
    return Response.json({ data: earningHistoryEntry(entry) }, { status: 201 });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
