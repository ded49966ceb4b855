import { apiRoute, readJsonObject } from "~/lib/api.server";
import { applyPointsAdjustment, parsePointsAdjustment } from "~/modules/api/mage";
import { jsonApiAttributes } from "~/modules/api/mage-body";

// POST /api/v1/customers/{identifier}/points — Mage's point adjustment: add or remove points, with
// a note, whether it counts towards lifetime points, and whether the customer is emailed about it.
export const action = apiRoute("mage", {
  POST: async ({ request, params, db, shopId, actor, idempotencyKey }) => {
    const adjustment = parsePointsAdjustment(
      jsonApiAttributes(await readJsonObject(request), { type: "points_adjustment" }),
      false,
    );
    const data = await applyPointsAdjustment(db, {
      ...adjustment,
      shopId,
      identifier: params.identifier ?? "",
      actor,
      idempotencyKey,
    });
    return Response.json({ data }, { status: 201 });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
