import type { OperationObject, ParameterObject, PathsObject, SchemaObject } from "openapi3-ts/oas31";

import { MAX_DESCRIPTION_LENGTH, MAX_URL_LENGTH, WEBHOOK_EVENTS } from "~/modules/webhook-subscriptions/input";

import {
  idempotencyKeyParameter,
  jsonApiResource,
  json,
  mageErrors,
  mageWriteErrors,
  noContent,
  object,
  page,
  pageParameters,
  pathParameter,
  ref,
  single,
  sortParameter,
  timestamp,
} from "./common";

// /api/v1 outbound webhook subscriptions.

const tags = ["Mage: webhooks"];

const event: SchemaObject = { type: "string", enum: [...WEBHOOK_EVENTS] };
const url: SchemaObject = {
  type: "string",
  format: "uri",
  maxLength: MAX_URL_LENGTH,
  description:
    "Absolute https URL without user name or password, at a public host (outside production, http://localhost " +
    "and http://127.0.0.1 are accepted too). Stored as the URL parser normalises it; unique in the shop.",
  examples: ["https://example.com/webhooks/pointwise"],
};
const events: SchemaObject = {
  type: "array",
  items: event,
  minItems: 1,
  uniqueItems: true,
  description: `The events to deliver: ${WEBHOOK_EVENTS.join(", ")}`,
};
const description: SchemaObject = { type: ["string", "null"], maxLength: MAX_DESCRIPTION_LENGTH };
const isActive: SchemaObject = {
  type: "boolean",
  description: "false pauses deliveries without losing the subscription",
};

const attributes = {
  url,
  events,
  description,
  is_active: isActive,
  secret_hint: {
    type: "string",
    description: "The secret's last characters, to tell secrets apart; the secret itself is never shown again",
    examples: ["whsec_…x9Qa"],
  },
  created_at: timestamp,
  updated_at: timestamp,
} satisfies Record<string, SchemaObject>;

const secret: SchemaObject = {
  type: "string",
  pattern: "^whsec_[A-Za-z0-9_-]{43}$",
  description:
    "The signing secret, shown in this answer only: store it. Deliveries carry " +
    '`X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, X-Webhook-Timestamp + "." + raw body)>`.',
};

/** What a create or an update may send, flat or as JSON:API `{"data": {"type", "attributes"}}`. */
const inputBody = (required: string[], example: Record<string, unknown>): SchemaObject => {
  const fields = object(
    { url, events, description, is_active: isActive },
    ["url", "events", "description", "is_active"].filter((name) => !required.includes(name)),
  );
  return {
    oneOf: [
      fields,
      object({
        data: object({ type: { const: "webhook_subscription" }, id: { type: "string" }, attributes: fields }, [
          "type",
          "id",
        ]),
      }),
    ],
    examples: [example],
  };
};

const idParameter = pathParameter("id", "The subscription's id");

const operation = (spec: Omit<OperationObject, "tags">): OperationObject => ({ tags, ...spec });

export const paths: PathsObject = {
  "/api/v1/webhook-subscriptions": {
    get: operation({
      operationId: "listWebhookSubscriptions",
      summary: "List webhook subscriptions",
      description: "The shop's outbound webhook subscriptions, paged. Secrets are never listed, only their hints.",
      parameters: [
        ...pageParameters,
        sortParameter(["created_at"], "created_at"),
        {
          name: "filter[is_active]",
          in: "query",
          required: false,
          description: "true: active subscriptions only; false: paused ones only",
          schema: { type: "string", enum: ["true", "false"] },
        } satisfies ParameterObject,
      ],
      responses: {
        "200": json("A page of subscriptions", page(ref("MageWebhookSubscription"))),
        ...mageErrors(),
      },
    }),
    post: operation({
      operationId: "createWebhookSubscription",
      summary: "Subscribe a URL to events",
      description:
        "Creates an outbound webhook subscription and answers its signing secret, this once. A shop has at most " +
        `25 subscriptions (422 beyond) and one per URL (409). Events: ${WEBHOOK_EVENTS.join(", ")}.`,
      parameters: [idempotencyKeyParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: inputBody(["url", "events"], {
              url: "https://example.com/webhooks/pointwise",
              events: ["points.earned", "points.redeemed"],
              description: "CRM sync",
            }),
          },
        },
      },
      responses: {
        "201": json(
          "The subscription, with its signing secret (shown only now)",
          single(ref("MageWebhookSubscriptionWithSecret")),
        ),
        ...mageWriteErrors(),
      },
    }),
  },
  "/api/v1/webhook-subscriptions/{id}": {
    get: operation({
      operationId: "getWebhookSubscription",
      summary: "Get a webhook subscription",
      description: "One subscription of the shop, without its secret.",
      parameters: [idParameter],
      responses: {
        "200": json("The subscription", single(ref("MageWebhookSubscription"))),
        ...mageErrors(),
      },
    }),
    put: operation({
      operationId: "updateWebhookSubscription",
      summary: "Update or pause a webhook subscription",
      description:
        "Changes any of url, events, description and is_active (false pauses deliveries, true resumes them); " +
        "what is not sent stays as it is. The secret does not change (see rotate-secret).",
      parameters: [idParameter, idempotencyKeyParameter],
      requestBody: {
        required: true,
        content: { "application/json": { schema: inputBody([], { is_active: false }) } },
      },
      responses: {
        "200": json("The updated subscription", single(ref("MageWebhookSubscription"))),
        ...mageWriteErrors(),
      },
    }),
    delete: operation({
      operationId: "deleteWebhookSubscription",
      summary: "Delete a webhook subscription",
      description: "Deletes the subscription and its secret; nothing more is delivered to it.",
      parameters: [idParameter, idempotencyKeyParameter],
      responses: {
        "204": noContent("Deleted"),
        ...mageWriteErrors(),
      },
    }),
  },
  "/api/v1/webhook-subscriptions/{id}/rotate-secret": {
    post: operation({
      operationId: "rotateWebhookSubscriptionSecret",
      summary: "Rotate a subscription's signing secret",
      description:
        "Replaces the signing secret and answers the new one, this once. The old secret stops signing at once.",
      parameters: [idParameter, idempotencyKeyParameter],
      requestBody: {
        required: false,
        description: "No body is needed; one sent is ignored.",
        content: { "application/json": { schema: { type: "object" }, examples: { empty: { value: {} } } } },
      },
      responses: {
        "200": json(
          "The subscription with its new signing secret (shown only now)",
          single(ref("MageWebhookSubscriptionWithSecret")),
        ),
        ...mageWriteErrors(),
      },
    }),
  },
};

export const schemas: Record<string, SchemaObject> = {
  MageWebhookSubscription: jsonApiResource("webhook_subscription", attributes),
  MageWebhookSubscriptionWithSecret: jsonApiResource("webhook_subscription", { ...attributes, secret }),
};
