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
import { purchaseRewardWithDiscount } from "~/modules/rewards/purchase.server";
import { unauthenticated } from "~/shopify.server";

// POST /api/external/redeem-points — Appstle's redeem: spend points on a redeem rule (a reward) and
// answer the loyalty object with the new reward and its discount code.
const body = withOneCustomer({
  redeemRuleId: z.union(
    [
      textField(100)
        .transform((id) => id.trim())
        .refine((id) => id.length > 0, { error: "must not be empty" }),
      z.number().int().positive().transform(String),
    ],
    { error: "must be a redeem rule ID" },
  ),
  ...customerFields,
  points: z.number({ error: "must be a number (not a string)" }).nullish(),
  // Accepted for compatibility: a free-product reward gives the variant it was set up with.
  variantId: z
    .union([z.number().int().positive(), textField(100)], { error: "must be a product variant ID" })
    .nullish(),
});

export const action = apiRoute("appstle", {
  // Idempotency-Key is honoured by apiRoute; a purchase that failed on Shopify can be retried with it.
  POST: async ({ request, db, shopId, actor }) => {
    const input = validate(body, await readJsonObject(request));
    const pointsCenti = input.points == null ? null : positivePoints(input.points);
    const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const { admin } = await unauthenticated.admin(shop.domain);
    const bought = await purchaseRewardWithDiscount(db, admin.graphql, {
      shopId,
      rewardId: input.redeemRuleId,
      identifier: customerIdentifier(input),
      pointsCenti,
      actor,
    });
    return Response.json(await customerLoyalty(db, bought.memberId));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
