import { isIP } from "node:net";

import { ApiProblem } from "~/lib/api-problem";
import { jsonApiAttributes } from "~/modules/api/mage-body";

// What a client may send to /api/v1/webhook-subscriptions, checked field by field. Each problem is
// reported as "field: what is wrong", all of them at once.

/** The events a subscription can ask for. points.expired is Pointwise's own (Mage has none). */
export const WEBHOOK_EVENTS = [
  "points.earned",
  "points.redeemed",
  "points.expired",
  "customer.tier_upgrade",
  "customer.tier_downgrade",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 500;

const ATTRIBUTES = ["url", "events", "description", "is_active"] as const;

export interface WebhookSubscriptionInput {
  url?: string;
  events?: WebhookEvent[];
  description?: string | null;
  isActive?: boolean;
}

export interface InputRules {
  /** Outside production: http://localhost and http://127.0.0.1 are accepted, for local receivers. */
  allowLocalHttp: boolean;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

/** Loopback, private, link-local (cloud metadata), CGNAT and unspecified IPv4 / IPv6 literals. */
function isInternalAddress(host: string) {
  const address = host.replace(/^\[|\]$/g, "").toLowerCase();
  const version = isIP(address);
  if (version === 4) {
    const [a = 0, b = 0] = address.split(".").map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (version === 6) {
    if (address === "::" || address === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    if (mapped) return isInternalAddress(mapped[1]!);
    if (address.startsWith("::ffff:")) return true;
    return /^(fc|fd|fe[89ab])/.test(address);
  }
  return false;
}

/** The URL as stored (the WHATWG parser's normal form), or what is wrong with it. */
export function checkWebhookUrl(value: unknown, rules: InputRules): { url: string } | { problem: string } {
  if (typeof value !== "string") return { problem: "must be a string (an absolute https URL)" };
  if (value.trim() === "") return { problem: "must not be empty: give an absolute https URL" };
  if (value.length > MAX_URL_LENGTH) return { problem: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: "must be an absolute URL such as https://example.com/webhooks" };
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === "http:") {
    if (!(local && rules.allowLocalHttp)) {
      return {
        problem: rules.allowLocalHttp
          ? "must use https (http is accepted only for localhost and 127.0.0.1)"
          : "must use https",
      };
    }
  } else if (url.protocol !== "https:") {
    return { problem: `must use https, not ${url.protocol.replace(/:$/, "")}` };
  }
  if (url.username !== "" || url.password !== "") {
    return { problem: "must not contain a user name or password; authenticate with the signature instead" };
  }
  if (!rules.allowLocalHttp && (local || url.hostname.endsWith(".localhost") || isInternalAddress(url.hostname))) {
    return { problem: "must point to a public host, not a local or private address" };
  }
  if (url.href.length > MAX_URL_LENGTH) {
    return { problem: `must be at most ${MAX_URL_LENGTH} characters once normalised (percent-encoded)` };
  }
  return { url: url.href };
}

const knownEvents = WEBHOOK_EVENTS.join(", ");

function checkEvents(value: unknown): { events: WebhookEvent[] } | { problem: string } {
  if (!Array.isArray(value) || value.length === 0) {
    return { problem: `must be a non-empty array of event names; known events: ${knownEvents}` };
  }
  const seen = new Set<string>();
  for (const [index, event] of value.entries()) {
    if (typeof event !== "string")
      return { problem: `item ${index} must be an event name; known events: ${knownEvents}` };
    if (!(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
      return { problem: `"${event.slice(0, 100)}" is not a known event; known events: ${knownEvents}` };
    }
    if (seen.has(event)) return { problem: `"${event}" is listed twice` };
    seen.add(event);
  }
  return { events: value as WebhookEvent[] };
}

/** The attributes of a JSON:API or flat body (app/modules/api/mage-body.ts), or its problem. */
function attributesOf(body: Record<string, unknown>, expectedId: string | null, problems: string[]) {
  try {
    return jsonApiAttributes(body, { type: "webhook_subscription", id: expectedId ?? undefined });
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    problems.push(error.message);
    return {};
  }
}

/**
 * Reads a create (`mode: "create"`: url and events required) or an update (any attributes, at
 * least one) body. Returns the values to store, or every problem found.
 */
export function parseWebhookSubscriptionInput(
  body: Record<string, unknown>,
  mode: "create" | "update",
  rules: InputRules & { id?: string },
): { input: WebhookSubscriptionInput } | { problems: string[] } {
  const problems: string[] = [];
  const attributes = attributesOf(body, rules.id ?? null, problems);
  const input: WebhookSubscriptionInput = {};
  for (const key of Object.keys(attributes)) {
    if (!(ATTRIBUTES as readonly string[]).includes(key)) {
      problems.push(`${key.slice(0, 100)}: is not a known attribute; use ${ATTRIBUTES.join(", ")}`);
    }
  }

  if (attributes.url !== undefined) {
    const checked = checkWebhookUrl(attributes.url, rules);
    if ("problem" in checked) problems.push(`url: ${checked.problem}`);
    else input.url = checked.url;
  } else if (mode === "create") problems.push("url: is required (an absolute https URL)");

  if (attributes.events !== undefined) {
    const checked = checkEvents(attributes.events);
    if ("problem" in checked) problems.push(`events: ${checked.problem}`);
    else input.events = checked.events;
  } else if (mode === "create") problems.push(`events: is required; known events: ${knownEvents}`);

  const description = attributes.description;
  if (description !== undefined) {
    if (description !== null && typeof description !== "string") problems.push("description: must be a string or null");
    else if (typeof description === "string" && description.length > MAX_DESCRIPTION_LENGTH) {
      problems.push(`description: must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
    } else input.description = description === "" ? null : description;
  }

  if (attributes.is_active !== undefined) {
    if (typeof attributes.is_active !== "boolean") problems.push("is_active: must be true or false");
    else input.isActive = attributes.is_active;
  }

  if (mode === "update" && problems.length === 0 && Object.keys(input).length === 0) {
    problems.push(`body: give at least one of ${ATTRIBUTES.join(", ")}`);
  }
  return problems.length > 0 ? { problems } : { input };
}

export type NewWebhookSubscription = WebhookSubscriptionInput & { url: string; events: WebhookEvent[] };

/** A create body: url and events are required. */
export function parseNewWebhookSubscription(
  body: Record<string, unknown>,
  rules: InputRules,
): { input: NewWebhookSubscription } | { problems: string[] } {
  // Create mode reports a missing url or events as a problem, so both are present on success.
  return parseWebhookSubscriptionInput(body, "create", rules) as
    { input: NewWebhookSubscription } | { problems: string[] };
}
