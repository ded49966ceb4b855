import { authenticate } from "~/shopify.server";

import { jsonError } from "./http.server";

/** Shopify signs app-proxy requests with a timestamp; an older or future one is a replay. */
export const APP_PROXY_MAX_SKEW_SECONDS = 90;

/**
 * Authenticates a storefront request that came through Shopify's app proxy: the signature over the
 * query (by @shopify/shopify-app-remix) and a timestamp within 90 s. Throws a 401 JSON response
 * otherwise. The shopper is `logged_in_customer_id` and nothing else; blank means a guest.
 */
export async function authenticateAppProxy(request: Request, now = Date.now()) {
  const url = new URL(request.url);
  const timestamp = Number(url.searchParams.get("timestamp"));
  if (!Number.isFinite(timestamp) || Math.abs(now / 1000 - timestamp) > APP_PROXY_MAX_SKEW_SECONDS) {
    throw jsonError(401, "unauthorized", "The app proxy signature is missing, invalid or expired.");
  }
  let context: Awaited<ReturnType<typeof authenticate.public.appProxy>>;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response) {
      throw jsonError(401, "unauthorized", "The app proxy signature is missing, invalid or expired.");
    }
    throw error;
  }
  const shop = url.searchParams.get("shop") ?? "";
  const customerId = url.searchParams.get("logged_in_customer_id") || null;
  return { ...context, shop, customerId };
}
