import { createHmac, createSecretKey, randomUUID } from "node:crypto";

import { SignJWT } from "jose";

// Signatures exactly as Shopify makes them, for the sandbox and the tests: session tokens (App
// Bridge), webhook HMACs and app-proxy query signatures. Nothing here skips the app's checks.

/** An App Bridge session token (HS256 JWT signed with the app secret), valid for one minute. */
export async function signSessionToken(options: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  now?: number;
}) {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: now + 60,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(createSecretKey(Buffer.from(options.apiSecret)));
}

/** The `host` parameter Shopify adds to embedded app URLs: base64url of "<shop>/admin". */
export const hostParameter = (shop: string) => Buffer.from(`${shop}/admin`).toString("base64url");

/** Base64 HMAC-SHA256 of the raw body: the X-Shopify-Hmac-Sha256 header. */
export const webhookHmac = (rawBody: string, apiSecret: string) =>
  createHmac("sha256", apiSecret).update(rawBody, "utf8").digest("base64");

/** Every header Shopify sends with a webhook, signed for `rawBody`. */
export function webhookHeaders(options: {
  topic: string;
  shop: string;
  rawBody: string;
  apiSecret: string;
  apiVersion: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
}) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": options.apiVersion,
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
    "X-Shopify-Hmac-Sha256": webhookHmac(options.rawBody, options.apiSecret),
  };
}

/**
 * The query string Shopify's app proxy forwards: the shopper's parameters plus shop,
 * logged_in_customer_id, path_prefix and timestamp, signed with a hex HMAC-SHA256 over the sorted
 * `key=value` pairs joined with nothing (array values joined with commas).
 */
export function signAppProxyQuery(params: Record<string, string | string[]>, apiSecret: string): URLSearchParams {
  const message = Object.keys(params)
    .sort()
    .map((key) => {
      const value = params[key];
      return `${key}=${Array.isArray(value) ? value.join(",") : (value ?? "")}`;
    })
    .join("");
  const signature = createHmac("sha256", apiSecret).update(message).digest("hex");
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  query.set("signature", signature);
  return query;
}

/** App-proxy parameters for one storefront request (a guest when customerId is empty). */
export function appProxyParams(options: { shop: string; customerId?: string; pathPrefix?: string; now?: number }) {
  return {
    shop: options.shop,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: options.pathPrefix ?? "/apps/pointwise",
    timestamp: String(Math.floor((options.now ?? Date.now()) / 1000)),
  };
}
