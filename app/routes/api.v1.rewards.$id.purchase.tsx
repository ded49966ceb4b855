import { z } from "zod";

import { ApiProblem, apiRoute, readJsonObject } from "~/lib/api.server";
import { rewardHistoryEntry } from "~/modules/api/mage-reward-history";
import { purchaseRewardWithDiscount } from "~/modules/rewards/purchase.server";
import { unauthenticated } from "~/shopify.server";

// POST /api/v1/rewards/{id}/purchase — Mage's "purchase a reward" (seeds 002/004).
const body = z.object({
  customer_identifier: z.union([z.string().trim().min(1).max(320), z.number().int().positive().transform(String)]),
});

export const action = apiRoute("mage", {
  // Idempotency-Key is honoured by apiRoute; a purchase that failed on Shopify can be retried with it.
  POST: async ({ request, params, db, shopId, actor }) => {
    const parsed = body.safeParse(await readJsonObject(request));
    if (!parsed.success) {
      throw new ApiProblem(400, "customer_identifier is required: a Shopify customer ID or an email address");
    }
    const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const { admin } = await unauthenticated.admin(shop.domain);
    const bought = await purchaseRewardWithDiscount(db, admin.graphql, {
      shopId,
      rewardId: params.id ?? "",
      identifier: parsed.data.customer_identifier,
      actor,
    });
    return Response.json({ data: rewardHistoryEntry(bought) }, { status: 201 });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
