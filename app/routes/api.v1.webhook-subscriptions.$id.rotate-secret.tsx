import { apiRoute } from "~/lib/api.server";
import { rotateWebhookSecret, webhookSubscriptionResource } from "~/modules/webhook-subscriptions";

// POST /api/v1/webhook-subscriptions/{id}/rotate-secret — a new signing secret, shown this once;
// the old one stops signing at once.
export const action = apiRoute("mage", {
  POST: async ({ params, db, shopId, actor }) => {
    const { subscription, secret } = await rotateWebhookSecret(db, { shopId, id: params.id ?? "", actor });
    return Response.json(
      { data: webhookSubscriptionResource(subscription, secret) },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
});

// Every other method gets a 405 with Allow from the same dispatcher.
export const loader = action;
