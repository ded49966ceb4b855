import { readFileSync } from "node:fs";
import { resolve } from "node:path";

import { parse } from "smol-toml";

const tomlPath = resolve(import.meta.dirname, "../shopify.app.toml");

export interface WebhookSubscription {
  topic: string;
  uri: string;
  compliance: boolean;
}

/** Every webhook subscription of shopify.app.toml, one per topic. */
export function webhookSubscriptions(path = tomlPath): WebhookSubscription[] {
  const config = parse(readFileSync(path, "utf8")) as unknown as {
    webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  return config.webhooks.subscriptions.flatMap((subscription) => [
    ...(subscription.topics ?? []).map((topic) => ({ topic, uri: subscription.uri, compliance: false })),
    ...(subscription.compliance_topics ?? []).map((topic) => ({ topic, uri: subscription.uri, compliance: true })),
  ]);
}
