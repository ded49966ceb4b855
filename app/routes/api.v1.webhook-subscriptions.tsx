import { apiRoute, readJsonObject } from "~/lib/api.server";
import { ApiProblem } from "~/lib/api-problem";
import { env } from "~/lib/env.server";
import { booleanFilter, collection, parsePage, parseSort } from "~/modules/api/mage-paging";
import {
  createWebhookSubscription,
  listWebhookSubscriptions,
  parseNewWebhookSubscription,
  webhookSubscriptionResource,
} from "~/modules/webhook-subscriptions";

// GET /api/v1/webhook-subscriptions — the shop's outbound webhooks, paged, sort created_at.
// POST — subscribes a URL to events; the answer (201) carries the signing secret, this once.
export const action = apiRoute("mage", {
  GET: async ({ request, db, shopId }) => {
    const url = new URL(request.url);
    const page = parsePage(url);
    const orderBy = parseSort(url, { created_at: "createdAt" }, "created_at");
    const isActive = booleanFilter(url, "is_active");
    const { subscriptions, total } = await listWebhookSubscriptions(db, shopId, {
      skip: page.skip,
      take: page.take,
      orderBy,
      ...(isActive === undefined ? {} : { isActive }),
    });
    return Response.json(
      collection(
        url,
        page,
        subscriptions.map((s) => webhookSubscriptionResource(s)),
        total,
      ),
    );
  },
  POST: async ({ request, db, shopId, actor }) => {
    const parsed = parseNewWebhookSubscription(await readJsonObject(request), {
      allowLocalHttp: env().NODE_ENV !== "production",
    });
    if ("problems" in parsed) throw new ApiProblem(400, parsed.problems.join("; "));
    const { subscription, secret } = await createWebhookSubscription(db, { shopId, actor, values: parsed.input });
    return Response.json(
      { data: webhookSubscriptionResource(subscription, secret) },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
