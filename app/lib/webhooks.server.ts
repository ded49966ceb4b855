import type { ActionFunctionArgs } from "@remix-run/node";
import { ZodError } from "zod";

import { database } from "~/db.server";
import { enqueueDelivery } from "~/modules/webhooks/inbox.server";
import { webhookHandlers } from "~/modules/webhooks/registry.server";
import { authenticate } from "~/shopify.server";

/** "orders/paid", "ORDERS_PAID" and "orders.paid" all name one topic. */
export const topicKey = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

/**
 * The action of a Shopify webhook route: verifies the HMAC of the raw body (401 and nothing
 * written when it is missing or wrong), rejects a payload for another topic or of the wrong shape
 * (400), stores the delivery in the inbox (once per shop and X-Shopify-Webhook-Id) and answers 200
 * at once. The worker (app/jobs/worker.server.ts) does the work.
 */
export function webhookAction(topic: string) {
  return async ({ request }: ActionFunctionArgs) => {
    if (!request.headers.get("X-Shopify-Hmac-Sha256")) {
      return new Response(undefined, { status: 401, statusText: "Unauthorized" });
    }
    const rawBody = await request.clone().text();
    let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
    try {
      webhook = await authenticate.webhook(request);
    } catch (error) {
      if (error instanceof Response) return error;
      // A correctly signed body that is not JSON.
      if (error instanceof SyntaxError) return new Response(undefined, { status: 400 });
      throw error;
    }
    if (topicKey(webhook.topic) !== topicKey(topic)) {
      return new Response(`This endpoint receives ${topic}, not ${webhook.topic}`, { status: 400 });
    }
    try {
      webhookHandlers[topicKey(topic)]?.schema?.parse(webhook.payload);
    } catch (error) {
      if (error instanceof ZodError) {
        return new Response(
          `Unexpected ${topic} payload: ${error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
          { status: 400 },
        );
      }
      throw error;
    }
    await enqueueDelivery(database(), {
      shopDomain: webhook.shop,
      topic,
      webhookId: webhook.webhookId,
      eventId: webhook.eventId ?? null,
      triggeredAt: webhook.triggeredAt ?? null,
      payload: rawBody,
    });
    return new Response(undefined, { status: 200 });
  };
}
