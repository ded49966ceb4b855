import type { OperationObject, ParameterObject, PathsObject, SchemaObject } from "openapi3-ts/oas31";

import { DISCOUNT_TYPES, EARNING_RULE_CATEGORIES, LIMITS, REWARD_TYPES, TIER_BASES } from "../mage-catalogue";

import {
  idempotencyKeyParameter,
  jsonApiResource,
  json,
  mageErrors,
  mageWriteErrors,
  noContent,
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

// /api/v1 catalogue: earning rules (with award), rewards (with purchase) and VIP tiers. Mage lists
// them; Pointwise also creates, changes and deletes them (same attribute names as the lists).

const TAG = "Mage: catalogue";
const ROUNDING = ["down", "up", "nearest", "half_even"];

const text = (max: number, description?: string): SchemaObject => ({
  type: "string",
  maxLength: max,
  ...(description ? { description } : {}),
});
const nullableText = (max: number, description?: string) => nullable(text(max, description));
const money = (description: string): SchemaObject => ({ type: "number", minimum: 0, description });
const url: SchemaObject = { type: ["string", "null"], maxLength: LIMITS.url, description: "An http(s) URL" };
const inputPoints = (description: string, positive = false): SchemaObject => ({
  type: "number",
  multipleOf: 0.01,
  ...(positive ? { exclusiveMinimum: 0 } : { minimum: 0 }),
  maximum: LIMITS.maxPoints,
  description,
});

// ---- resources -----------------------------------------------------------------------------------

const earningRuleAttributes: Record<string, SchemaObject> = {
  name: text(LIMITS.name),
  description: nullableText(LIMITS.description),
  action: text(LIMITS.action, "What the customer does: place_order, create_account, birthday, follow_on_instagram, …"),
  category: { enum: [...EARNING_RULE_CATEGORIES] },
  is_active: { type: "boolean" },
  points_to_give: { ...points, minimum: 0, description: "Fixed award (0 for purchase rules)" },
  customer_facing_label: nullableText(LIMITS.label),
  call_to_action_url: url,
  approval_time: { type: "integer", minimum: 0, description: "Days new points stay pending (0: spendable at once)" },
  points_per_currency_unit: nullable({
    ...points,
    description: "Purchase rules: points per 1 unit of the shop's currency",
  }),
  rounding: { enum: [...ROUNDING, null], description: "Purchase rules: how fractional points round" },
  include_shipping: { type: ["boolean", "null"], description: "Purchase rules: whether shipping earns points" },
  include_tax: { type: ["boolean", "null"], description: "Purchase rules: whether tax earns points" },
  once_per_member: { type: "boolean", description: "Whether a member can earn the rule only once" },
  created_at: timestamp,
  updated_at: timestamp,
};

const rewardAttributes: Record<string, SchemaObject> = {
  name: text(LIMITS.name),
  description: nullableText(LIMITS.description),
  discount_type: { enum: [...DISCOUNT_TYPES] },
  reward_type: { enum: [...REWARD_TYPES] },
  points_cost: nullable({ ...points, description: "Fixed rewards; null for variable ones" }),
  discount_amount: {
    type: ["number", "null"],
    description:
      "fixed_amount and store_credit: an amount of currency_code; percentage: percent off (0 < p ≤ 100); " +
      "null for free_shipping, free_product and variable rewards",
  },
  currency_code: { type: "string", description: "The shop's currency, in which money attributes are given" },
  minimum_spend: { type: ["number", "null"], minimum: 0, description: "Minimum order subtotal, in currency_code" },
  is_active: { type: "boolean" },
  max_redemptions: { type: ["integer", "null"], minimum: 1, description: "Per member" },
  expiry_days: { type: ["integer", "null"], minimum: 1, description: "Days a bought code stays valid" },
  vip_tier_id: { type: ["string", "null"], description: "Only members of this tier can buy it" },
  free_product_variant_id: {
    type: ["string", "null"],
    description: "free_product: the variant given, as gid://shopify/ProductVariant/<id>",
  },
  combines_with: object({ order: { type: "boolean" }, product: { type: "boolean" }, shipping: { type: "boolean" } }),
  points_per_currency_unit: nullable({ ...points, description: "Variable rewards: points per 1 unit of value" }),
  min_points: nullable({ ...points, description: "Variable rewards: the least a member can spend" }),
  max_points: nullable({ ...points, description: "Variable rewards: the most a member can spend" }),
  created_at: timestamp,
  updated_at: timestamp,
};

const vipTierAttributes: Record<string, SchemaObject> = {
  name: text(LIMITS.tierName),
  description: nullableText(LIMITS.description),
  points_required: {
    type: "number",
    minimum: 0,
    description: "The threshold: lifetime points, or lifetime spend in currency_code when basis is lifetime_spend",
  },
  basis: { enum: [...TIER_BASES], description: "What points_required measures (the shop's tier basis)" },
  currency_code: { type: ["string", "null"], description: "The currency of points_required on a spend basis" },
  points_multiplier: { type: "number", exclusiveMinimum: 0, maximum: 100, description: "1.5 = ×1.5 on earnings" },
  badge_image_url: url,
  badge_color: { type: ["string", "null"], pattern: "^#([0-9A-F]{3}|[0-9A-F]{6})$" },
  exclusive_reward_ids: {
    type: "array",
    items: { type: "string" },
    description: "Live rewards only this tier can buy",
  },
  members_count: { type: "integer", minimum: 0 },
  created_at: timestamp,
  updated_at: timestamp,
};

// ---- write bodies --------------------------------------------------------------------------------

const input = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: "object",
  properties,
  additionalProperties: false,
});

const earningRuleInput = input({
  name: { ...text(LIMITS.name), minLength: 1 },
  description: nullableText(LIMITS.description),
  action: { type: "string", pattern: "^[a-z][a-z0-9_]*$", maxLength: LIMITS.action },
  category: { enum: [...EARNING_RULE_CATEGORIES] },
  is_active: { type: "boolean", default: true },
  points_to_give: inputPoints("Required (above 0) for every category but purchase"),
  customer_facing_label: nullableText(LIMITS.label),
  call_to_action_url: url,
  approval_time: { type: "integer", minimum: 0, maximum: LIMITS.approvalDays, default: 0 },
  points_per_currency_unit: nullable(inputPoints("Purchase rules only, and required for them", true)),
  rounding: { enum: ROUNDING, default: "down" },
  include_shipping: { type: "boolean", default: false },
  include_tax: { type: "boolean", default: false },
  once_per_member: { type: "boolean", default: true },
});

const rewardInput = input({
  name: { ...text(LIMITS.name), minLength: 1 },
  description: nullableText(LIMITS.description),
  discount_type: { enum: [...DISCOUNT_TYPES] },
  reward_type: { enum: [...REWARD_TYPES], default: "fixed" },
  points_cost: nullable(inputPoints("Fixed rewards: required", true)),
  discount_amount: {
    type: ["number", "null"],
    description:
      "Required for fixed_amount and store_credit (an amount > 0 with the currency's decimals) and for percentage " +
      "(0 < p ≤ 100, 2 decimals); not allowed otherwise",
  },
  minimum_spend: nullable(money("Minimum order subtotal")),
  is_active: { type: "boolean", default: true },
  max_redemptions: { type: ["integer", "null"], minimum: 1, maximum: LIMITS.maxRedemptions },
  expiry_days: { type: ["integer", "null"], minimum: 1, maximum: LIMITS.expiryDays },
  vip_tier_id: { type: ["string", "null"], description: "A VIP tier of this shop" },
  free_product_variant_id: {
    type: ["string", "integer", "null"],
    description: "Required for free_product: a variant id (123) or gid://shopify/ProductVariant/123",
  },
  combines_with: input({ order: { type: "boolean" }, product: { type: "boolean" }, shipping: { type: "boolean" } }),
  points_per_currency_unit: nullable(inputPoints("Variable rewards: required", true)),
  min_points: nullable(inputPoints("Variable rewards", true)),
  max_points: nullable(inputPoints("Variable rewards", true)),
});

const vipTierInput = input({
  name: { ...text(LIMITS.tierName), minLength: 1, description: "Unique in the shop (any case)" },
  description: nullableText(LIMITS.description),
  points_required: {
    type: "number",
    minimum: 0,
    description: "Unique in the shop: points (2 decimals), or money (the currency's decimals) on a spend basis",
  },
  points_multiplier: { type: "number", exclusiveMinimum: 0, maximum: 100, default: 1 },
  badge_image_url: url,
  badge_color: { type: ["string", "null"], pattern: "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$" },
});

/** A write body: JSON:API `{"data":{"type","attributes"}}` or the attributes flat. */
const writeBody = (type: string, attributes: string, example: Record<string, unknown>, withId: boolean) => ({
  required: true,
  content: {
    "application/json": {
      schema: {
        anyOf: [
          object(
            {
              data: object(
                { type: { const: type }, ...(withId ? { id: { type: "string" } } : {}), attributes: ref(attributes) },
                withId ? ["id"] : [],
              ),
            },
            [],
          ),
          ref(attributes),
        ],
      } as SchemaObject,
      example: { data: { type, attributes: example } },
    },
  },
});

// ---- operations ----------------------------------------------------------------------------------

const idParameter = (what: string): ParameterObject => pathParameter("id", `The ${what}'s id`);
const location = { Location: { description: "The new resource's path", schema: { type: "string" } } };

const WRITE_RULES =
  "Every attribute is checked: 400 names each one at fault (wrong type — numbers are never strings —, out of " +
  "range, more decimals than allowed, unknown or read-only attributes, a `data.type` that is not the resource's). " +
  "The change and who made it (the key) are recorded in the activity log.";

const operation = (op: OperationObject): OperationObject => ({ tags: [TAG], ...op });

const list = (
  id: string,
  summary: string,
  description: string,
  schema: string,
  parameters: ParameterObject[],
): OperationObject =>
  operation({
    operationId: id,
    summary,
    description,
    parameters,
    responses: { "200": json("One page of the collection", page(ref(schema))), ...mageErrors() },
  });

const filter = (name: string, schema: SchemaObject, description: string): ParameterObject => ({
  name: `filter[${name}]`,
  in: "query",
  required: false,
  description,
  schema,
});

const crud = (
  what: string,
  names: { one: string },
  schema: string,
  inputSchema: string,
  type: string,
  example: Record<string, unknown>,
  notes: { update: string; remove: string; get: string },
) => ({
  get: operation({
    operationId: `get${names.one}`,
    summary: `One ${what}`,
    description: notes.get,
    parameters: [idParameter(what)],
    responses: { "200": json(`The ${what}`, single(ref(schema))), ...mageErrors() },
  }),
  put: operation({
    operationId: `update${names.one}`,
    summary: `Change a ${what}`,
    description: `${notes.update} ${WRITE_RULES}`,
    parameters: [idParameter(what), idempotencyKeyParameter],
    requestBody: writeBody(type, inputSchema, example, true),
    responses: { "200": json(`The ${what} as changed`, single(ref(schema))), ...mageWriteErrors() },
  }),
  delete: operation({
    operationId: `delete${names.one}`,
    summary: `Delete a ${what}`,
    description: notes.remove,
    parameters: [idParameter(what), idempotencyKeyParameter],
    responses: { "204": noContent(`The ${what} is gone`), ...mageWriteErrors() },
  }),
});

const create = (
  what: string,
  id: string,
  schema: string,
  inputSchema: string,
  type: string,
  example: Record<string, unknown>,
  description: string,
): OperationObject =>
  operation({
    operationId: id,
    summary: `Create a ${what}`,
    description: `${description} ${WRITE_RULES}`,
    parameters: [idempotencyKeyParameter],
    requestBody: writeBody(type, inputSchema, example, false),
    responses: { "201": json(`The new ${what}`, single(ref(schema)), location), ...mageWriteErrors() },
  });

const ruleExample = {
  name: "Follow us on Instagram",
  action: "follow_on_instagram",
  category: "social",
  points_to_give: 100,
  call_to_action_url: "https://instagram.com/example",
};
const rewardExample = {
  name: "£5 off your next order",
  discount_type: "fixed_amount",
  points_cost: 500,
  discount_amount: 5,
  expiry_days: 30,
};
const tierExample = { name: "Gold", points_required: 1000, points_multiplier: 1.5, badge_color: "#C9A227" };

export const paths: PathsObject = {
  "/api/v1/earning-rules": {
    get: list(
      "listEarningRules",
      "List earning rules",
      "The shop's earning rules (deleted ones never appear), paged.",
      "MageEarningRule",
      [
        ...pageParameters,
        sortParameter(["created_at", "name", "points_to_give"], "created_at"),
        filter("is_active", { enum: ["true", "false"] }, "Only active (true) or inactive (false) rules"),
        filter("category", { enum: [...EARNING_RULE_CATEGORIES] }, "Only rules of this category"),
      ],
    ),
    post: create(
      "earning rule",
      "createEarningRule",
      "MageEarningRule",
      "MageEarningRuleInput",
      "earning_rule",
      ruleExample,
      "Required: name, category, action, and points_to_give (above 0) for every category but purchase, which " +
        "needs points_per_currency_unit instead (and alone takes rounding, include_shipping, include_tax).",
    ),
  },
  "/api/v1/earning-rules/{id}": crud(
    "earning rule",
    { one: "EarningRule" },
    "MageEarningRule",
    "MageEarningRuleInput",
    "earning_rule",
    { points_to_give: 150, is_active: true },
    {
      get: "One live earning rule of the shop; a deleted or unknown one (or another shop's) is a 404.",
      update:
        "A partial update: the attributes given change, the rest stay. Changing the category away from purchase " +
        "clears the purchase-only attributes.",
      remove:
        "A soft delete: the rule leaves the API and can no longer be awarded (award answers 404), but the points " +
        "it earned keep pointing at it.",
    },
  ),
  "/api/v1/earning-rules/{id}/award": {
    post: operation({
      operationId: "awardEarningRule",
      summary: "Award an earning rule",
      description:
        "Mage's award (seeds 000/001): points for a social or engagement rule (422 for other categories), once per " +
        "customer (409), times the customer's VIP multiplier; pending with points_due_at when the rule has an " +
        "approval time. 403 for an excluded customer; 404 for an unknown customer, or a rule that is unknown, " +
        "inactive or deleted.",
      parameters: [idParameter("earning rule"), idempotencyKeyParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: object({
              customer_identifier: {
                type: ["string", "integer"],
                description: "A Shopify customer ID or an email address",
              },
            }),
            example: { customer_identifier: "6789012345" },
          },
        },
      },
      responses: {
        "201": json("The earning it made", single(ref("MageAwardEarningHistoryEntry"))),
        ...mageWriteErrors(),
      },
    }),
  },
  "/api/v1/rewards": {
    get: list("listRewards", "List rewards", "The shop's rewards (deleted ones never appear), paged.", "MageReward", [
      ...pageParameters,
      sortParameter(["created_at", "name", "points_cost"], "created_at"),
      filter("is_active", { enum: ["true", "false"] }, "Only active (true) or inactive (false) rewards"),
      filter("discount_type", { enum: [...DISCOUNT_TYPES] }, "Only rewards of this discount type"),
    ]),
    post: create(
      "reward",
      "createReward",
      "MageReward",
      "MageRewardInput",
      "reward",
      rewardExample,
      "Required: name, discount_type; for fixed rewards points_cost, for variable rewards (fixed_amount or " +
        "store_credit only) points_per_currency_unit; discount_amount for fixed_amount, store_credit and " +
        "percentage; free_product_variant_id for free_product. Money is in the shop's currency.",
    ),
  },
  "/api/v1/rewards/{id}": crud(
    "reward",
    { one: "Reward" },
    "MageReward",
    "MageRewardInput",
    "reward",
    { points_cost: 400, is_active: true },
    {
      get: "One live reward of the shop; a deleted or unknown one (or another shop's) is a 404.",
      update:
        "A partial update: the attributes given change, the rest stay; rewards members already bought keep what " +
        "they bought. Changing discount_type between money, percentage and none needs a new discount_amount.",
      remove:
        "A soft delete: the reward leaves the API and can no longer be bought (purchase answers 404); rewards " +
        "members bought keep their history.",
    },
  ),
  "/api/v1/rewards/{id}/purchase": {
    post: operation({
      operationId: "purchaseReward",
      summary: "Purchase a reward",
      description:
        "Mage's purchase (seeds 002/004): spends the reward's points first-in-first-out and answers the new " +
        "reward_history_entry with its Shopify discount code. 403 for an excluded customer or one not on the " +
        "reward's VIP tier; 404 for an unknown customer or a reward that is unknown, inactive or deleted; 422 " +
        "Insufficient Points (`Customer has 200 points but this reward costs 500`) or the reward's limit reached; " +
        "503 when Shopify cannot be reached (no points are spent; retry, ideally with the same Idempotency-Key).",
      parameters: [idParameter("reward"), idempotencyKeyParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: object({
              customer_identifier: {
                type: ["string", "integer"],
                description: "A Shopify customer ID or an email address",
              },
            }),
            example: { customer_identifier: "6789012345" },
          },
        },
      },
      responses: {
        "201": json("The reward bought", single(ref("MagePurchasedRewardHistoryEntry"))),
        ...mageWriteErrors(503),
      },
    }),
  },
  "/api/v1/vip-tiers": {
    get: operation({
      operationId: "listVipTiers",
      summary: "List VIP tiers",
      description:
        "Every tier of the shop, lowest points_required first, with how many members each has and the rewards " +
        "reserved for it. One page of up to 100 unless page[number] / page[size] are given.",
      parameters: pageParameters,
      responses: { "200": json("The tiers", page(ref("MageVipTier"))), ...mageErrors() },
    }),
    post: create(
      "VIP tier",
      "createVipTier",
      "MageVipTier",
      "MageVipTierInput",
      "vip_tier",
      tierExample,
      "Required: name and points_required, each unique in the shop (409 otherwise). Members whose standing " +
        "reaches the new tier move onto it at once, in the same transaction (each move a tier change with its " +
        "customer.tier_upgrade / tier_downgrade webhook).",
    ),
  },
  "/api/v1/vip-tiers/{id}": crud(
    "VIP tier",
    { one: "VipTier" },
    "MageVipTier",
    "MageVipTierInput",
    "vip_tier",
    { points_required: 1500 },
    {
      get: "One tier of the shop; an unknown one (or another shop's) is a 404.",
      update:
        "A partial update. A name or threshold another tier has is a 409. Members move up or down at once when " +
        "the threshold changes, in the same transaction.",
      remove:
        "Deletes the tier; its members move down to the tier below (or none) at once, each move recorded with its " +
        "customer.tier_downgrade webhook. 409 while live rewards are reserved for it.",
    },
  ),
};

export const schemas: Record<string, SchemaObject> = {
  MageEarningRule: jsonApiResource("earning_rule", earningRuleAttributes),
  MageReward: jsonApiResource("reward", rewardAttributes),
  MageVipTier: jsonApiResource("vip_tier", vipTierAttributes),
  MageEarningRuleInput: earningRuleInput,
  MageRewardInput: rewardInput,
  MageVipTierInput: vipTierInput,
  // What award answers today (app/modules/api/mage.ts earningHistoryEntry).
  MageAwardEarningHistoryEntry: jsonApiResource("earning_history_entry", {
    earning_rule_id: { type: ["string", "null"] },
    action: { type: ["string", "null"] },
    order_id: { type: ["string", "null"] },
    points,
    base_points: points,
    points_multiplier: { type: "number", exclusiveMinimum: 0 },
    status: { enum: ["pending", "approved", "rejected", "expired"] },
    points_given_at: nullable(timestamp),
    points_due_at: nullable(timestamp),
    points_expiry_at: nullable(timestamp),
    created_at: timestamp,
    updated_at: timestamp,
  }),
  // What purchase answers today (app/modules/api/mage-reward-history.ts rewardHistoryEntry).
  MagePurchasedRewardHistoryEntry: jsonApiResource("reward_history_entry", {
    reward_id: { type: "string" },
    reward_name: { type: "string" },
    reward_discount_type: { enum: [...DISCOUNT_TYPES] },
    points_spent: points,
    discount_code: { type: ["string", "null"] },
    status: { enum: ["active", "used", "expired"] },
    is_refunded: { type: "boolean" },
    discount_code_redeemed_at: nullable(timestamp),
    redeemed_at: nullable(timestamp),
    expires_at: nullable(timestamp),
    created_at: timestamp,
    updated_at: timestamp,
  }),
};
