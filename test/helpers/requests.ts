import { ADMIN_API_VERSION } from "~/shopify/api-version";

import {
  appProxyParams,
  hostParameter,
  signAppProxyQuery,
  signSessionToken,
  webhookHeaders,
} from "../../sandbox/signing";

import { TEST_APP } from "./app";

// Requests signed for real, as Shopify signs them (see sandbox/signing.ts).

export const TEST_SHOP = "pointwise-test.myshopify.com";
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

export { webhookSubscriptions } from "../../sandbox/app-config";

/** A webhook as Shopify would POST it, HMAC-signed with the app secret unless told otherwise. */
export function webhookRequest(
  topic: string,
  payload: unknown,
  options: { shop?: string; secret?: string; rawBody?: string; uri?: string; headers?: Record<string, string> } = {},
) {
  const rawBody = options.rawBody ?? JSON.stringify(payload);
  const headers = {
    ...webhookHeaders({
      topic,
      shop: options.shop ?? TEST_SHOP,
      rawBody,
      apiSecret: options.secret ?? TEST_APP.apiSecret,
      apiVersion: ADMIN_API_VERSION,
    }),
    ...options.headers,
  };
  return new Request(`${TEST_APP.appUrl}${options.uri ?? `/webhooks/${topic}`}`, {
    method: "POST",
    headers,
    body: rawBody,
  });
}

/** A document request of the embedded admin, as Shopify admin loads it: with a session token. */
export async function adminDocumentRequest(path: string, options: { shop?: string; secret?: string } = {}) {
  const shop = options.shop ?? TEST_SHOP;
  const url = new URL(path, TEST_APP.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", hostParameter(shop));
  url.searchParams.set(
    "id_token",
    await signSessionToken({ shop, apiKey: TEST_APP.apiKey, apiSecret: options.secret ?? TEST_APP.apiSecret }),
  );
  return new Request(url, { headers: { "User-Agent": BROWSER_USER_AGENT, Accept: "text/html" } });
}

/** A storefront request through Shopify's app proxy, signed; a guest unless customerId is given. */
export function appProxyRequest(
  path: string,
  options: { shop?: string; customerId?: string; secret?: string; now?: number; query?: Record<string, string> } = {},
) {
  const query = signAppProxyQuery(
    {
      ...options.query,
      ...appProxyParams({ shop: options.shop ?? TEST_SHOP, customerId: options.customerId, now: options.now }),
    },
    options.secret ?? TEST_APP.apiSecret,
  );
  return new Request(`${TEST_APP.appUrl}${path}?${query.toString()}`, {
    headers: { "User-Agent": BROWSER_USER_AGENT },
  });
}
