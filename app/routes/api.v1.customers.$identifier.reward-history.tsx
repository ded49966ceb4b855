import { apiRoute } from "~/lib/api.server";
import { rewardHistoryCollection } from "~/modules/api/mage-reward-history";
import { requireMember } from "~/modules/ledger";

// GET /api/v1/customers/{identifier}/reward-history — the rewards the member bought with points.
export const action = apiRoute("mage", {
  GET: async ({ request, params, db, shopId }) => {
    const member = await requireMember(db, shopId, params.identifier ?? "");
    return Response.json(await rewardHistoryCollection(db, shopId, member.id, new URL(request.url)));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
