import { apiRoute } from "~/lib/api.server";
import { customerCollection } from "~/modules/api/mage";

// GET /api/v1/customers — the shop's members, paged, filtered by email or loyalty status, sorted.
export const action = apiRoute("mage", {
  GET: async ({ request, db, shopId }) => Response.json(await customerCollection(db, shopId, new URL(request.url))),
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
