import { ApiProblem, apiRoute, readJsonObject } from "~/lib/api.server";
import { bulkPointsAdjustment } from "~/modules/api/mage";

// POST /api/v1/points/bulk — up to 1,000 point adjustments in one request, each applied on its own:
// a bad item fails alone and the answer lists every item's result in order.
export const action = apiRoute("mage", {
  POST: async ({ request, db, shopId, actor, idempotencyKey }) => {
    const body = await readJsonObject(request);
    const items = Array.isArray(body.data)
      ? body.data.map((item: unknown) =>
          item && typeof item === "object" && "attributes" in item
            ? (item as { attributes: unknown }).attributes
            : item,
        )
      : body.items;
    if (body.items !== undefined && body.data !== undefined)
      throw new ApiProblem(400, "body: give either items or data, not both");
    return Response.json(await bulkPointsAdjustment(db, { shopId, items, actor, idempotencyKey }));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
