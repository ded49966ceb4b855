import { apiRoute } from "~/lib/api.server";
import { pointRedeemRules } from "~/modules/api/appstle.server";

// GET /api/external/point-redeem-rules — the shop's reward catalogue (active, not deleted rewards) as
// Appstle's redeem rules.
export const action = apiRoute("appstle", {
  GET: async ({ db, shopId }) => Response.json(await pointRedeemRules(db, shopId)),
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
