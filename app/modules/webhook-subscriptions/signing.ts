import { createHmac } from "node:crypto";

// How Pointwise signs an outbound webhook (compatible with Mage): the receiver recomputes
// HMAC-SHA256(secret, `${timestamp}.${rawBody}`) over the exact bytes it received and compares it
// with X-Webhook-Signature in constant time, rejecting stale X-Webhook-Timestamp values.

export const SIGNATURE_HEADER = "X-Webhook-Signature";
export const TIMESTAMP_HEADER = "X-Webhook-Timestamp";
export const EVENT_HEADER = "X-Webhook-Event";

/** The X-Webhook-Signature value for a delivery: `sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`. */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestamp}.`, "utf8");
  hmac.update(rawBody);
  return `sha256=${hmac.digest("hex")}`;
}
