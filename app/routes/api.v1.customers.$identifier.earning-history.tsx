import { apiRoute } from "~/lib/api.server";
import { earningHistoryCollection } from "~/modules/api/mage";
import { requireMember } from "~/modules/ledger";

// GET /api/v1/customers/{identifier}/earning-history — one entry per lot the member earned.
export const action = apiRoute("mage", {
  GET: async ({ request, params, db, shopId }) => {
    const member = await requireMember(db, shopId, params.identifier ?? "");
    return Response.json(await earningHistoryCollection(db, shopId, member.id, new URL(request.url)));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
