import { z } from "zod";

import { ApiProblem, apiRoute, describeZodError, readJsonObject } from "~/lib/api.server";
import { customerLoyalty } from "~/modules/api/appstle.server";
import { InvalidAmountError, parsePoints } from "~/modules/ledger/math";
import { purchaseRewardWithDiscount } from "~/modules/rewards/purchase.server";
import { unauthenticated } from "~/shopify.server";

// POST /api/external/redeem-points — Appstle's redeem: spend points on a redeem rule (a reward) and
// answer the loyalty object with the new reward and its discount code.
const body = z
  .object({
    redeemRuleId: z.union([z.string().trim().min(1).max(100), z.number().int().positive().transform(String)]),
    customerId: z
      .union([z.number().int().positive(), z.string().regex(/^\d+$/, "must be a Shopify customer ID")])
      .optional(),
    customerEmail: z.email({ error: "must be an email address" }).optional(),
    points: z.number({ error: "must be a number (not a string)" }).finite().positive().optional(),
  })
  .refine((value) => (value.customerId === undefined) !== (value.customerEmail === undefined), {
    error: "give exactly one of customerId or customerEmail",
    path: ["customerId"],
  });

export const action = apiRoute("appstle", {
  // Idempotency-Key is honoured by apiRoute; a purchase that failed on Shopify can be retried with it.
  POST: async ({ request, db, shopId, actor }) => {
    const parsed = body.safeParse(await readJsonObject(request));
    if (!parsed.success) throw new ApiProblem(400, describeZodError(parsed.error));
    const { redeemRuleId, customerId, customerEmail, points } = parsed.data;
    let pointsCenti: bigint | null = null;
    if (points !== undefined) {
      try {
        pointsCenti = parsePoints(points);
      } catch (error) {
        if (error instanceof InvalidAmountError) throw new ApiProblem(400, `points: ${error.message}`);
        throw error;
      }
    }
    const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const { admin } = await unauthenticated.admin(shop.domain);
    const bought = await purchaseRewardWithDiscount(db, admin.graphql, {
      shopId,
      rewardId: redeemRuleId,
      identifier: String(customerId ?? customerEmail),
      pointsCenti,
      actor,
    });
    return Response.json(await customerLoyalty(db, bought.memberId));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
