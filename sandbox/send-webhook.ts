// `npm run sandbox:webhook -- <topic> <payload.json>`: sends a correctly signed Shopify webhook to the
// running sandbox, at the address shopify.app.toml subscribes that topic to.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { ADMIN_API_VERSION } from "../app/shopify/api-version";

import { webhookSubscriptions } from "./app-config";
import type { SandboxInfo } from "./sandbox";
import { webhookHeaders } from "./signing";

/** The path shopify.app.toml subscribes `topic` to. */
export const webhookUri = (topic: string) => webhookSubscriptions().find((s) => s.topic === topic)?.uri;

/** Signs and POSTs one webhook to the sandbox described by `info`. */
export async function sendWebhook(info: SandboxInfo, topic: string, rawBody: string) {
  const uri = webhookUri(topic);
  if (!uri) throw new Error(`shopify.app.toml subscribes to no topic "${topic}"`);
  const response = await fetch(new URL(uri, info.appUrl), {
    method: "POST",
    headers: webhookHeaders({
      topic,
      shop: info.shop,
      rawBody,
      apiSecret: info.apiSecret,
      apiVersion: ADMIN_API_VERSION,
    }),
    body: rawBody,
  });
  return { uri, status: response.status, body: await response.text() };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [topic, payloadFile] = process.argv.slice(2);
  if (!topic || !payloadFile) {
    console.error("usage: npm run sandbox:webhook -- <topic> <payload.json>   e.g. customers/create payload.json");
    process.exit(2);
  }
  const dir = process.env.POINTWISE_SANDBOX_DIR ?? resolve(import.meta.dirname);
  let info: SandboxInfo;
  try {
    info = JSON.parse(readFileSync(join(dir, "sandbox.json"), "utf8")) as SandboxInfo;
  } catch {
    console.error(`No running sandbox: ${join(dir, "sandbox.json")} is missing. Start one with npm run sandbox.`);
    process.exit(1);
  }
  const rawBody = readFileSync(payloadFile, "utf8");
  try {
    JSON.parse(rawBody);
  } catch {
    console.error(`${payloadFile} is not JSON`);
    process.exit(2);
  }
  const result = await sendWebhook(info, topic, rawBody);
  console.log(`POST ${result.uri} → ${result.status}${result.body ? ` ${result.body}` : ""}`);
  process.exit(result.status >= 200 && result.status < 300 ? 0 : 1);
}
