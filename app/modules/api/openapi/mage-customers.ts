import type { OperationObject, ParameterObject, PathsObject, SchemaObject } from "openapi3-ts/oas31";

import { EARNING_STATUSES, MAX_ADJUSTMENT_POINTS, MAX_BULK_ITEMS } from "~/modules/api/mage";
import { REWARD_HISTORY_STATUSES } from "~/modules/api/mage-reward-history";

import {
  customerIdentifierParameter,
  idempotencyKeyParameter,
  json,
  jsonApiResource,
  mageErrors,
  mageWriteErrors,
  nullable,
  object,
  page,
  pageParameters,
  pathParameter,
  points,
  ref,
  single,
  sortParameter,
  timestamp,
} from "./common";

// /api/v1 customers: list, one, update, point adjustments, earning and reward history, refund, bulk.

const tags = ["Mage: customers"];

const nullableString: SchemaObject = { type: ["string", "null"] };
const nullableTimestamp: SchemaObject = { type: ["string", "null"], format: "date-time" };
const nullableDate: SchemaObject = { type: ["string", "null"], format: "date", description: "YYYY-MM-DD" };

const filter = (name: string, description: string, schema: SchemaObject): ParameterObject => ({
  name: `filter[${name}]`,
  in: "query",
  required: false,
  description,
  schema,
});

// ---------------------------------------------------------------------------------------------
// Customer

const customer = jsonApiResource("customer", {
  shopify_customer_id: nullableString,
  email: nullableString,
  first_name: nullableString,
  last_name: nullableString,
  points: { ...points, description: "Spendable points" },
  pending_points: { ...points, description: "Points waiting for their approval time" },
  lifetime_points: { ...points, description: "Points ever earned that count towards VIP tiers" },
  redeemed_points: { ...points, description: "Points spent on rewards (refunds give them back)" },
  expiring_points: { ...points, description: "Spendable points that expire within 30 days" },
  points_expire_at: { ...nullableTimestamp, description: "When the soonest of those expire" },
  vip_tier: nullable(object({ id: { type: "string" }, name: { type: "string" } })),
  loyalty_status: { type: "string", enum: ["member", "excluded"] },
  is_excluded: { type: "boolean" },
  date_of_birth: nullableDate,
  anniversary_date: nullableDate,
  created_at: timestamp,
  updated_at: timestamp,
});

const customerUpdate = object(
  {
    date_of_birth: {
      ...nullableDate,
      description: "A real date from 1900 on, not in the future; null clears it",
    },
    anniversary_date: { ...nullableDate, description: "A real date from 1900 on; null clears it" },
    is_excluded: {
      type: "boolean",
      description:
        "true excludes the customer from the program (points kept; no earning or spending), false lets them " +
        "back in. A customer who opted out themselves cannot be let back in by the API (422).",
    },
  },
  ["date_of_birth", "anniversary_date", "is_excluded"],
);

/** The writable attributes, plus the customer's read-only ones, which are ignored (PUT back what GET gave). */
const customerUpdateAttributes: SchemaObject = {
  ...customerUpdate,
  additionalProperties: false,
  properties: {
    ...customerUpdate.properties,
    ...Object.fromEntries(
      Object.entries(
        ((customer.properties?.attributes as SchemaObject).properties ?? {}) as Record<string, SchemaObject>,
      )
        .filter(([name]) => !["date_of_birth", "anniversary_date", "is_excluded"].includes(name))
        .map(([name]) => [name, { description: "Read-only: ignored" }]),
    ),
  },
};

const jsonApiBody = (type: string, attributes: SchemaObject): SchemaObject =>
  object({ data: object({ type: { const: type }, id: { type: "string" }, attributes }, ["type", "id"]) });

// ---------------------------------------------------------------------------------------------
// Point adjustments

const adjustmentPoints: SchemaObject = {
  type: "number",
  multipleOf: 0.01,
  minimum: -MAX_ADJUSTMENT_POINTS,
  maximum: MAX_ADJUSTMENT_POINTS,
  not: { const: 0 },
  description:
    `Non-zero, at most 2 decimals, between -${MAX_ADJUSTMENT_POINTS} and ${MAX_ADJUSTMENT_POINTS}; a JSON number ` +
    "(a string is refused). Negative removes points; the balance never goes below 0 (a larger deduction takes " +
    "what there is).",
};

const adjustmentFields = {
  points: adjustmentPoints,
  note: { type: ["string", "null"], maxLength: 500, description: "Shown in the activity log" },
  update_lifetime_points: {
    type: "boolean",
    default: true,
    description: "Whether added points count towards lifetime points (and so VIP tiers)",
  },
  send_email: {
    type: "boolean",
    default: true,
    description: "Whether the customer's email tools are told to notify them (recorded with the adjustment)",
  },
} satisfies Record<string, SchemaObject>;

const adjustmentInput = object(adjustmentFields, ["note", "update_lifetime_points", "send_email"]);

const pointsAdjustment = jsonApiResource("points_adjustment", {
  points_before: points,
  points_after: points,
  current_points: points,
  points: { ...points, description: "The change actually applied (a deduction stops at a balance of 0)" },
  note: nullableString,
  update_lifetime_points: { type: "boolean" },
  send_email: { type: "boolean" },
  created_at: timestamp,
});

const customerIdentifierField: SchemaObject = {
  oneOf: [
    { type: "string", minLength: 1, maxLength: 320 },
    { type: "integer", minimum: 1 },
  ],
  description: "A Shopify customer ID or an email address",
};

const bulkItem = object({ customer_identifier: customerIdentifierField, ...adjustmentFields }, [
  "note",
  "update_lifetime_points",
  "send_email",
]);

const bulkResult: SchemaObject = {
  oneOf: [
    object({
      index: { type: "integer", minimum: 0 },
      status: { const: "applied" },
      customer_identifier: nullableString,
      points_adjustment: ref("MagePointsAdjustment"),
    }),
    object({
      index: { type: "integer", minimum: 0 },
      status: { const: "failed" },
      customer_identifier: nullableString,
      error: object({
        status: { type: "string", pattern: "^[1-5][0-9]{2}$" },
        title: { type: "string" },
        detail: { type: "string" },
      }),
    }),
  ],
};

// ---------------------------------------------------------------------------------------------
// Histories

const earningHistoryRecord = jsonApiResource("earning_history_entry", {
  earning_rule_id: nullableString,
  action: {
    type: ["string", "null"],
    description:
      'The earning rule\'s action (place_order, follow_on_instagram, …); "manual_adjustment" for adjustments ' +
      'made by a person or the API, "reward_refund" for points of a refund that came back as new points, ' +
      '"import" for imported points',
  },
  order_id: { ...nullableString, description: "The Shopify order ID, for points from an order" },
  points: { ...points, description: "Points credited: base_points × points_multiplier" },
  base_points: points,
  points_multiplier: { type: "number", description: "The VIP tier multiplier applied (1 for none)" },
  status: { type: "string", enum: [...EARNING_STATUSES] },
  points_given_at: nullableTimestamp,
  points_due_at: { ...nullableTimestamp, description: "When pending points become spendable" },
  points_expiry_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
  order_number: nullableString,
  shopify_date: { ...nullableTimestamp, description: "When the order reached Pointwise; null without an order" },
  manual_intervention: { type: "boolean", description: "true for adjustments made by a person or the API" },
});

const rewardHistoryRecord = jsonApiResource("reward_history_entry", {
  reward_id: { type: "string" },
  reward_name: { type: "string" },
  reward_discount_type: {
    type: "string",
    examples: ["fixed_amount", "percentage", "free_shipping", "free_product", "store_credit"],
  },
  points_spent: points,
  discount_code: nullableString,
  status: {
    type: "string",
    enum: [...REWARD_HISTORY_STATUSES],
    description: "A refunded reward keeps the status it had (is_refunded says it was refunded)",
  },
  is_refunded: { type: "boolean" },
  discount_code_redeemed_at: nullableTimestamp,
  redeemed_at: nullableTimestamp,
  expires_at: nullableTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
});

// ---------------------------------------------------------------------------------------------
// Operations

const listCustomers: OperationObject = {
  operationId: "listCustomers",
  tags,
  summary: "List customers",
  description:
    "The shop's loyalty members, newest first unless sorted otherwise, with their balances, tier and status.",
  parameters: [
    ...pageParameters,
    sortParameter(["created_at", "points", "lifetime_points", "redeemed_points"], "-created_at"),
    filter("email", "Part of the email address, any case", { type: "string", maxLength: 320 }),
    filter("loyalty_status", "member, or excluded (by the merchant or by the customer's own choice)", {
      type: "string",
      enum: ["member", "excluded"],
    }),
  ],
  responses: { "200": json("A page of customers", page(ref("MageCustomer"))), ...mageErrors() },
};

const getCustomer: OperationObject = {
  operationId: "getCustomer",
  tags,
  summary: "Get a customer",
  description: "One member by Shopify customer ID or email address: balances, VIP tier, status and dates.",
  parameters: [customerIdentifierParameter],
  responses: { "200": json("The customer", single(ref("MageCustomer"))), ...mageErrors() },
};

const updateCustomer: OperationObject = {
  operationId: "updateCustomer",
  tags,
  summary: "Update a customer",
  description:
    "Sets or clears date_of_birth and anniversary_date, and excludes the customer from the program or lets " +
    "them back in (is_excluded). The body is flat or JSON:API. The customer's read-only attributes (points, " +
    "email, …) are ignored, so what GET answered can be sent back; any other attribute is a 400 naming it.",
  parameters: [customerIdentifierParameter, idempotencyKeyParameter],
  requestBody: {
    required: true,
    content: {
      "application/json": {
        schema: { oneOf: [customerUpdateAttributes, jsonApiBody("customer", customerUpdateAttributes)] },
        examples: {
          flat: { value: { date_of_birth: "1990-04-12", anniversary_date: null } },
          jsonApi: { value: { data: { type: "customer", attributes: { is_excluded: true } } } },
        },
      },
    },
  },
  responses: { "200": json("The updated customer", single(ref("MageCustomer"))), ...mageWriteErrors() },
};

const adjustPointsOperation: OperationObject = {
  operationId: "adjustCustomerPoints",
  tags,
  summary: "Adjust a customer's points",
  description:
    "Adds (positive) or removes (negative) points. Added points arrive at once as a new lot with the shop's " +
    "expiry; removed points are taken oldest-expiring first and never below a balance of 0. The VIP tier is " +
    "recalculated. The resource's id is the customer's. 403 when the customer is excluded.",
  parameters: [customerIdentifierParameter, idempotencyKeyParameter],
  requestBody: {
    required: true,
    content: {
      "application/json": {
        schema: { oneOf: [adjustmentInput, jsonApiBody("points_adjustment", adjustmentInput)] },
        examples: {
          flat: { value: { points: 150, note: "Sorry for the late delivery", send_email: false } },
          jsonApi: {
            value: {
              data: { type: "points_adjustment", attributes: { points: -25.5, update_lifetime_points: false } },
            },
          },
        },
      },
    },
  },
  responses: { "201": json("The adjustment", single(ref("MagePointsAdjustment"))), ...mageWriteErrors() },
};

const earningHistory: OperationObject = {
  operationId: "listCustomerEarningHistory",
  tags,
  summary: "List a customer's earning history",
  description:
    "One entry per batch of points the customer received: from earning rules, orders and adjustments, with " +
    "its status (pending, approved, rejected, expired), multiplier and dates. Newest first unless sorted.",
  parameters: [
    customerIdentifierParameter,
    ...pageParameters,
    sortParameter(["created_at", "points"], "-created_at"),
    filter("status", "Only entries with this status", { type: "string", enum: [...EARNING_STATUSES] }),
  ],
  responses: {
    "200": json("A page of earning history entries", page(ref("MageEarningHistoryRecord"))),
    ...mageErrors(),
  },
};

const rewardHistory: OperationObject = {
  operationId: "listCustomerRewardHistory",
  tags,
  summary: "List a customer's reward history",
  description:
    "The rewards the customer bought with points, newest first unless sorted: code, status (active, used, " +
    "expired; an active reward past its expiry date is expired) and whether it was refunded.",
  parameters: [
    customerIdentifierParameter,
    ...pageParameters,
    sortParameter(["created_at", "points_spent"], "-created_at"),
    filter("status", "Only entries with this status", { type: "string", enum: [...REWARD_HISTORY_STATUSES] }),
  ],
  responses: {
    "200": json("A page of reward history entries", page(ref("MageRewardHistoryRecord"))),
    ...mageErrors(),
  },
};

const refundReward: OperationObject = {
  operationId: "refundRewardHistoryEntry",
  tags,
  summary: "Refund a purchased reward",
  description:
    "Takes back a reward that has not been used: its discount code is deactivated in Shopify first, then its " +
    "points go back to the customer (into the lots they came from while those are live, otherwise as new " +
    "points). 409 when it was refunded already; 422 when it was used (also when Shopify counts its code used) " +
    "or has expired; 503, with nothing refunded, when Shopify cannot be reached. No body is needed.",
  parameters: [pathParameter("id", "The reward history entry's id"), idempotencyKeyParameter],
  requestBody: {
    required: false,
    content: { "application/json": { schema: { type: "object" }, example: {} } },
  },
  responses: {
    "200": json("The refunded reward (is_refunded: true)", single(ref("MageRewardHistoryRecord"))),
    ...mageWriteErrors(503),
  },
};

const bulkPoints: OperationObject = {
  operationId: "bulkAdjustPoints",
  tags,
  summary: "Adjust many customers' points",
  description:
    `Up to ${MAX_BULK_ITEMS} adjustments, \`{"items": [{customer_identifier, points, note?, ` +
    'update_lifetime_points?, send_email?}]}` (or JSON:API `{"data": [{"attributes": {…}}]}`). The envelope is ' +
    `checked first: not an array, empty or over ${MAX_BULK_ITEMS} items is a 400 and nothing is written. Then ` +
    "each item is applied on its own, in order: an invalid item, an unknown or excluded customer fails alone. " +
    "The answer has one result per item and counts in meta. With an Idempotency-Key, a retry applies no item twice.",
  parameters: [idempotencyKeyParameter],
  requestBody: {
    required: true,
    content: {
      "application/json": {
        schema: {
          oneOf: [
            object({ items: { type: "array", minItems: 1, maxItems: MAX_BULK_ITEMS, items: bulkItem } }),
            object({
              data: {
                type: "array",
                minItems: 1,
                maxItems: MAX_BULK_ITEMS,
                items: object({ type: { const: "points_adjustment" }, attributes: bulkItem }, ["type"]),
              },
            }),
          ],
        },
        example: {
          items: [
            { customer_identifier: "6789012345", points: 100, note: "Event bonus" },
            { customer_identifier: "ann@example.com", points: -20, update_lifetime_points: false },
          ],
        },
      },
    },
  },
  responses: {
    "200": json(
      "One result per item, in order",
      object({
        data: { type: "array", items: bulkResult },
        meta: object({
          total: { type: "integer", minimum: 1 },
          applied: { type: "integer", minimum: 0 },
          failed: { type: "integer", minimum: 0 },
        }),
      }),
    ),
    ...mageWriteErrors(),
  },
};

export const paths: PathsObject = {
  "/api/v1/customers": { get: listCustomers },
  "/api/v1/customers/{identifier}": { get: getCustomer, put: updateCustomer },
  "/api/v1/customers/{identifier}/points": { post: adjustPointsOperation },
  "/api/v1/customers/{identifier}/earning-history": { get: earningHistory },
  "/api/v1/customers/{identifier}/reward-history": { get: rewardHistory },
  "/api/v1/reward-history/{id}/refund": { post: refundReward },
  "/api/v1/points/bulk": { post: bulkPoints },
};

export const schemas: Record<string, SchemaObject> = {
  MageCustomer: customer,
  MagePointsAdjustment: pointsAdjustment,
  MageEarningHistoryRecord: earningHistoryRecord,
  MageRewardHistoryRecord: rewardHistoryRecord,
};
