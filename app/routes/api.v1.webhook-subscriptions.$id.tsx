import { apiRoute, readJsonObject } from "~/lib/api.server";
import { ApiProblem } from "~/lib/api-problem";
import { env } from "~/lib/env.server";
import {
  deleteWebhookSubscription,
  parseWebhookSubscriptionInput,
  requireWebhookSubscription,
  updateWebhookSubscription,
  webhookSubscriptionResource,
} from "~/modules/webhook-subscriptions";

// GET /api/v1/webhook-subscriptions/{id} — one subscription, never its secret.
// PUT — changes url, events, description or is_active (false pauses deliveries); DELETE → 204.
export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    const subscription = await requireWebhookSubscription(db, shopId, params.id ?? "");
    return Response.json({ data: webhookSubscriptionResource(subscription) });
  },
  PUT: async ({ request, params, db, shopId, actor }) => {
    const id = params.id ?? "";
    // An unknown id is a 404 whatever the body says.
    await requireWebhookSubscription(db, shopId, id);
    const parsed = parseWebhookSubscriptionInput(await readJsonObject(request), "update", {
      allowLocalHttp: env().NODE_ENV !== "production",
      id,
    });
    if ("problems" in parsed) throw new ApiProblem(400, parsed.problems.join("; "));
    const subscription = await updateWebhookSubscription(db, { shopId, id, actor, values: parsed.input });
    return Response.json({ data: webhookSubscriptionResource(subscription) });
  },
  DELETE: async ({ params, db, shopId, actor }) => {
    await deleteWebhookSubscription(db, { shopId, id: params.id ?? "", actor });
    return new Response(null, { status: 204 });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
