import type { ActionFunctionArgs } from "@remix-run/node";
import { ZodError } from "zod";

import { authenticate } from "~/shopify.server";

type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>>;
type WebhookHandler = (webhook: WebhookContext) => Promise<unknown>;

/** "orders/paid", "ORDERS_PAID" and "orders.paid" all name one topic. */
export const topicKey = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

/**
 * The action of a Shopify webhook route: verifies the HMAC of the raw body (401 and nothing
 * written when it is missing or wrong), rejects a payload for another topic or of the wrong shape
 * (400), runs the handler and answers 200.
 */
export function webhookAction(topic: string, handler?: WebhookHandler) {
  return async ({ request }: ActionFunctionArgs) => {
    if (!request.headers.get("X-Shopify-Hmac-Sha256")) {
      return new Response(undefined, { status: 401, statusText: "Unauthorized" });
    }
    let webhook: WebhookContext;
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
      await handler?.(webhook);
    } catch (error) {
      if (error instanceof ZodError) {
        return new Response(
          `Unexpected ${topic} payload: ${error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
          {
            status: 400,
          },
        );
      }
      throw error;
    }
    return new Response(undefined, { status: 200 });
  };
}
