import { z } from "zod";

import { ApiProblem, apiRoute, describeZodError, readJsonObject } from "~/lib/api.server";
import { customerLoyalty, textField } from "~/modules/api/appstle.server";
import { adjustPoints } from "~/modules/ledger";
import { InvalidAmountError, parsePoints } from "~/modules/ledger/math";

// POST /api/external/add-points — Appstle's "add points to customer account" (seed 003).
const body = z
  .object({
    points: z.number({ error: "must be a number (not a string)" }).finite(),
    customerId: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/, "must be a Shopify customer ID")])
      .optional(),
    customerEmail: z.email({ error: "must be an email address" }).optional(),
    earnRuleId: z.union([z.number().int(), textField(100)]).optional(),
    note: textField(500, "note").optional(),
  })
  .refine((value) => (value.customerId === undefined) !== (value.customerEmail === undefined), {
    error: "give exactly one of customerId or customerEmail",
    path: ["customerId"],
  });

export const action = apiRoute("appstle", {
  POST: async ({ request, db, shopId, actor, idempotencyKey }) => {
    const parsed = body.safeParse(await readJsonObject(request));
    if (!parsed.success) throw new ApiProblem(400, describeZodError(parsed.error));
    const { points, customerId, customerEmail, earnRuleId, note } = parsed.data;
    let centipoints: bigint;
    try {
      centipoints = parsePoints(points);
    } catch (error) {
      if (error instanceof InvalidAmountError) throw new ApiProblem(400, `points: ${error.message}`);
      throw error;
    }
    if (centipoints < 1n) throw new ApiProblem(400, "points: must be at least 0.01");
    const { memberId } = await adjustPoints(db, {
      shopId,
      identifier: String(customerId ?? customerEmail),
      deltaCenti: centipoints,
      note: [note, earnRuleId !== undefined ? `earn rule ${earnRuleId}` : null].filter(Boolean).join(" — ") || null,
      source: "api",
      actor,
      idempotencyKey,
    });
    return Response.json(await customerLoyalty(db, memberId));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
