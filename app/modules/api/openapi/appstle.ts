import type { OperationObject, ParameterObject, PathsObject, SchemaObject } from "openapi3-ts/oas31";

import {
  appstleErrors,
  appstleWriteErrors,
  date,
  idempotencyKeyParameter,
  json,
  nullable,
  object,
  ref,
  timestamp,
} from "./common";

// /api/external: the Appstle-compatible endpoints (app/routes/api.external.*.tsx). Bodies and
// answers are camelCase; errors are `{timestamp, status, error, message, path}` (AppstleError).

const TAGS = ["Appstle"];

/**
 * Points as a JSON number with at most 2 decimals. Not `multipleOf: 0.01`: JSON Schema validators
 * test it by floating-point division, which refuses exact two-decimal values such as 0.07.
 */
const points = (description: string): SchemaObject => ({
  type: "number",
  description: `${description} (points, at most 2 decimals)`,
});

/** A money amount in the shop's currency, in major units (12.5 = 12.50). */
const money = (description: string): SchemaObject => ({ type: "number", description });

const customerId: SchemaObject = {
  oneOf: [
    { type: "integer", minimum: 1 },
    { type: "string", pattern: "^\\s*\\d{1,20}\\s*$" },
  ],
  description:
    "The Shopify customer ID (numeric; a string of digits is accepted too). Give either customerId or " +
    "customerEmail, never both; null counts as absent.",
  examples: [67890],
};

const customerEmail: SchemaObject = {
  type: "string",
  format: "email",
  maxLength: 320,
  description: "The customer's email address, matched case-insensitively. Give either customerId or customerEmail.",
  examples: ["customer@example.com"],
};

const customerNaming: Record<string, SchemaObject> = {
  customerId: { ...customerId, oneOf: [...(customerId.oneOf ?? []), { type: "null" }] },
  customerEmail: nullable(customerEmail),
};

const oneCustomerRule =
  "Name the customer with exactly one of `customerId` (Shopify customer ID) or `customerEmail` (any case); " +
  "both or neither is a 400, and a customer this shop has not enrolled is a 404 (another shop's customers " +
  "are never visible).";

const discountCode: SchemaObject = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  description:
    "A discount code, matched as given or upper-cased; surrounding spaces are ignored; no control characters",
  examples: ["PW-7KQ2MX9HTA"],
};

/** A JSON request body. */
const body = (description: string, schema: SchemaObject, example: unknown) => ({
  required: true,
  description,
  content: { "application/json": { schema, example } },
});

const REWARD_STATUSES = ["ACTIVE", "USED", "EXPIRED", "REFUNDED"];
const REWARD_TYPES = ["DISCOUNT_CODE", "FREE_SHIPPING", "FREE_PRODUCT", "STORE_CREDIT"];

const loyaltyResponse = (description: string) => json(description, ref("AppstleCustomerLoyalty"));

const adjustmentBody = (verb: "add" | "remove"): SchemaObject =>
  object(
    {
      points: {
        type: "number",
        minimum: 0.01,
        description:
          `Points to ${verb}: a JSON number (not a string), at least 0.01, at most 2 decimals.` +
          (verb === "add" ? " Added to availablePoints at once (not pending)." : ""),
        examples: [50],
      },
      ...customerNaming,
      earnRuleId: {
        type: ["integer", "string", "null"],
        maxLength: 100,
        description: "An earn rule to mention with the adjustment (reporting only; it does not change the points)",
        examples: [10],
      },
      note: {
        type: ["string", "null"],
        maxLength: 500,
        description: "Why, shown in the customer's history and the activity log (no NUL characters)",
        examples: ["Compensation for delayed shipping - Order #1234"],
      },
    },
    ["customerId", "customerEmail", "earnRuleId", "note"],
  );

const writeOperation = (operation: OperationObject): OperationObject => ({
  ...operation,
  parameters: [...((operation.parameters as ParameterObject[] | undefined) ?? []), idempotencyKeyParameter],
});

export const paths: PathsObject = {
  "/api/external/add-points": {
    post: writeOperation({
      operationId: "appstleAddPoints",
      tags: TAGS,
      summary: "Add points to a customer",
      description:
        "Appstle's add-points (seed 003). Adds `points` to the customer's available points at once, as a new " +
        "lot that counts towards lifetime points and the VIP tier, with an activity line and a member sync " +
        "(metafields, email tools). " +
        oneCustomerRule +
        " `points` must be a JSON number of at least 0.01 with at most 2 decimals (a string, 0, a negative, " +
        "NaN-like or over-precise number, or more than the ledger can hold is a 400). `note` is at most 500 " +
        "characters. An excluded customer is a 403. Answers the customer loyalty object.",
      requestBody: body("Who gets how many points, and why", adjustmentBody("add"), {
        points: 50,
        customerId: 67890,
        earnRuleId: 10,
        note: "Compensation for delayed shipping - Order #1234",
      }),
      responses: {
        "200": loyaltyResponse("The points were added: the customer's loyalty object"),
        ...appstleWriteErrors(),
      },
    }),
  },
  "/api/external/remove-points": {
    post: writeOperation({
      operationId: "appstleRemovePoints",
      tags: TAGS,
      summary: "Remove points from a customer",
      description:
        "Takes `points` from the customer's available points, oldest first (FIFO). The balance never goes " +
        "below 0: a larger deduction takes what there is. Lifetime points are not reduced. " +
        oneCustomerRule +
        " `points` as for add-points (≥ 0.01, at most 2 decimals, a JSON number). An excluded customer is a " +
        "403. Writes an activity line and a member sync. Answers the customer loyalty object.",
      requestBody: body("Whose points, how many, and why", adjustmentBody("remove"), {
        points: 25,
        customerEmail: "customer@example.com",
        note: "Manual adjustment per support ticket #567",
      }),
      responses: {
        "200": loyaltyResponse("The points were taken: the customer's loyalty object"),
        ...appstleWriteErrors(),
      },
    }),
  },
  "/api/external/redeem-points": {
    post: writeOperation({
      operationId: "appstleRedeemPoints",
      tags: TAGS,
      summary: "Spend points on a redeem rule",
      description:
        "Buys the redeem rule (reward) `redeemRuleId` for the customer: the points are reserved (oldest " +
        "first), a customer-specific discount code is created in Shopify, and the reward becomes active. " +
        oneCustomerRule +
        " For a variable rule `points` says how many points to spend (between its minPoints and maxPoints); " +
        "for a fixed rule it is ignored. A rule of this shop that does not exist, is switched off or deleted " +
        "is a 404; an excluded customer or one outside the rule's VIP tier a 403; too few points a 422 " +
        "(`Customer has 50 points but this reward costs 500`); a customer with no Shopify account a 422. " +
        "When Shopify cannot be reached the reservation is undone, every point comes back, and the answer is " +
        "a 503 with Retry-After. Answers the customer loyalty object, whose rewards include the new code.",
      requestBody: body(
        "Which rule, for whom",
        object(
          {
            redeemRuleId: {
              type: ["string", "integer"],
              minLength: 1,
              maxLength: 100,
              description: "The `id` of a rule from GET /api/external/point-redeem-rules",
            },
            ...customerNaming,
            points: nullable({
              type: "number",
              exclusiveMinimum: 0,
              description: "Variable rules only: how many points to spend (at most 2 decimals)",
            }),
            variantId: {
              type: ["integer", "string", "null"],
              description:
                "Accepted for compatibility and ignored: a free-product rule gives the variant it was set up with",
            },
          },
          ["customerId", "customerEmail", "points", "variantId"],
        ),
        { redeemRuleId: "clx2reward0001", customerId: 67890 },
      ),
      responses: {
        "200": loyaltyResponse("The reward was bought: the loyalty object with the new reward and its discount code"),
        ...appstleWriteErrors(503),
      },
    }),
  },
  "/api/external/customer-loyalty": {
    get: {
      operationId: "appstleCustomerLoyalty",
      tags: TAGS,
      summary: "A customer's loyalty object",
      description:
        "The customer's points, tier, status, birth date, social flags and bought rewards. " +
        oneCustomerRule.replace("both or neither", "both, neither, or a parameter given twice") +
        " `status` filters the rewards (any case): UNUSED and ACTIVE both mean usable; EXPIRED includes active " +
        "codes past their expiry date. Excluded customers can be read. Writes nothing.",
      parameters: [
        {
          name: "customerId",
          in: "query",
          required: false,
          description: "The Shopify customer ID (digits). Give it or customerEmail, once.",
          schema: { type: "string", pattern: "^\\s*\\d{1,20}\\s*$" },
          example: "67890",
        },
        {
          name: "customerEmail",
          in: "query",
          required: false,
          description: "The customer's email address (any case). Give it or customerId, once.",
          schema: { type: "string", format: "email", maxLength: 320 },
          example: "customer@example.com",
        },
        {
          name: "status",
          in: "query",
          required: false,
          description: "Only the rewards with this status (any case)",
          schema: { type: "string", enum: ["UNUSED", "ACTIVE", "USED", "EXPIRED", "REFUNDED"] },
        },
      ],
      responses: { "200": loyaltyResponse("The customer's loyalty object"), ...appstleErrors() },
    },
  },
  "/api/external/point-redeem-rules": {
    get: {
      operationId: "appstlePointRedeemRules",
      tags: TAGS,
      summary: "The reward catalogue as redeem rules",
      description:
        "Every active, not deleted reward of the key's shop, oldest first, as an Appstle redeem rule. " +
        "`rewardType` says what the customer gets; `discountType` how `discountValue` reads (FIXED: an amount " +
        "in the shop's currency, PERCENTAGE: percent off, null for free shipping and free products). Variable " +
        "rules have no pointsRequired: they turn pointsPerCurrencyUnit points into one unit of the currency, " +
        "between minPoints and maxPoints. Writes nothing; an empty catalogue is an empty list.",
      parameters: [],
      responses: {
        "200": json("The shop's redeem rules", { type: "array", items: ref("AppstleRedeemRule") }),
        ...appstleErrors(),
      },
    },
  },
  "/api/external/approve-pending-transactions": {
    put: writeOperation({
      operationId: "appstleApprovePendingTransactions",
      tags: TAGS,
      summary: "Approve pending points now",
      description:
        "Makes pending points (earned with an approval period) spendable at once. With " +
        "`?approveAllPendingTransactions=true` every pending transaction of the shop is approved and the body " +
        "is not read. Otherwise the body lists `[{transactionId, customerId}]` (1 to 500 entries): each must be " +
        "a pending transaction of this shop belonging to the customer named with it, else the answer is a 404 " +
        "naming it and nothing is approved (all or none). Approved points count towards lifetime points and " +
        "tiers; each approval writes ledger entries and an activity line. Answers how many were approved.",
      parameters: [
        {
          name: "approveAllPendingTransactions",
          in: "query",
          required: false,
          description: "true: approve every pending transaction of the shop (at most once; true or false, any case)",
          schema: { type: "string", enum: ["true", "false"], default: "false" },
        },
      ],
      requestBody: {
        required: false,
        description:
          "The transactions to approve; leave the body out when `approveAllPendingTransactions=true` is given",
        content: {
          "application/json": {
            schema: {
              type: "array",
              minItems: 1,
              maxItems: 500,
              items: object({
                transactionId: {
                  type: ["string", "integer"],
                  minLength: 1,
                  maxLength: 100,
                  description: "The pending transaction's id (a whole number is read as its digits)",
                },
                customerId: { ...customerId, description: "The Shopify customer ID the transaction belongs to" },
              }),
            },
            examples: {
              listed: {
                summary: "Approve listed transactions",
                value: [{ transactionId: "clx2lot00001", customerId: 67890 }],
              },
              all: { summary: "With ?approveAllPendingTransactions=true: no body", value: null },
            },
          },
        },
      },
      responses: {
        "200": json(
          "The transactions were approved",
          object({ approved: { type: "integer", minimum: 0, description: "How many transactions were approved" } }),
        ),
        ...appstleWriteErrors(),
      },
    }),
  },
  "/api/external/update-customer-birth-date": {
    put: writeOperation({
      operationId: "appstleUpdateCustomerBirthDate",
      tags: TAGS,
      summary: "Set a customer's birth date",
      description:
        "Sets the customer's birth date (for birthday points). " +
        oneCustomerRule +
        " `dob` is a real calendar date written YYYY-MM-DD, from 1900 on and not after today (anywhere on " +
        "Earth). Writes an activity line and a member sync; the date the customer already has writes " +
        "nothing. Answers the customer loyalty object.",
      requestBody: body(
        "Whose birth date, and the date",
        object({ ...customerNaming, dob: { ...date, examples: ["1990-04-15"] } }, ["customerId", "customerEmail"]),
        { customerId: 67890, dob: "1990-04-15" },
      ),
      responses: { "200": loyaltyResponse("The birth date is set: the loyalty object"), ...appstleWriteErrors() },
    }),
  },
  "/api/external/check-discount": {
    put: writeOperation({
      operationId: "appstleCheckDiscount",
      tags: TAGS,
      summary: "Whether a customer can use a discount code",
      description:
        "Checks that the code exists in the shop, belongs to the customer, is unused and has not expired. " +
        oneCustomerRule +
        " An unknown code (or another shop's, or a purchase still being set up) answers reason NOT_FOUND, " +
        "another customer's code NOT_YOURS (nothing more about it), otherwise USED, EXPIRED or REFUNDED. " +
        "Writes nothing.",
      requestBody: body(
        "Whose code, and the code",
        object({ ...customerNaming, discountCode }, ["customerId", "customerEmail"]),
        { customerId: 67890, discountCode: "PW-7KQ2MX9HTA" },
      ),
      responses: { "200": json("The check's result", ref("AppstleDiscountCheck")), ...appstleWriteErrors() },
    }),
  },
  "/api/external/update-discount": {
    put: writeOperation({
      operationId: "appstleUpdateDiscount",
      tags: TAGS,
      summary: "Change the status of a customer's discount code",
      description:
        "USED marks an active code used; UNUSED takes a used code back to active; EXPIRED ends an active " +
        "code; REFUNDED refunds an active code, giving its points back through the ledger. EXPIRED and " +
        "REFUNDED deactivate the code in Shopify first (503, nothing changed, when Shopify is unreachable; " +
        "422 when Shopify counts the code as used, or when refunding a used or expired code). Any other " +
        "change (USED twice, UNUSED of an active code, …) is a 409 that writes nothing; of concurrent " +
        "updates exactly one succeeds. " +
        oneCustomerRule +
        " An unknown code or another customer's is a 404. `status` is matched in any case. Writes an " +
        "activity line and a member sync. Answers the updated reward.",
      requestBody: body(
        "Whose code, the code, and its new status",
        object(
          {
            ...customerNaming,
            discountCode,
            status: { type: "string", enum: ["USED", "UNUSED", "EXPIRED", "REFUNDED"], description: "Any case" },
          },
          ["customerId", "customerEmail"],
        ),
        { customerId: 67890, discountCode: "PW-7KQ2MX9HTA", status: "USED" },
      ),
      responses: {
        "200": json("The updated reward", ref("AppstleUpdatedReward")),
        ...appstleWriteErrors(503),
      },
    }),
  },
};

const rewardedFor = (what: string): SchemaObject => ({
  type: "boolean",
  description: `Whether the customer has earned points for ${what}`,
});

const rewardEntryProperties: Record<string, SchemaObject> = {
  id: { type: "string", description: "This purchase's id" },
  rewardId: { type: "string", description: "The redeem rule (reward) bought" },
  name: { type: "string", description: "The reward's name" },
  rewardType: { type: "string", enum: REWARD_TYPES, description: "What the customer gets" },
  discountType: {
    type: ["string", "null"],
    enum: ["FIXED", "PERCENTAGE", null],
    description: "FIXED amount or PERCENTAGE off; null for free shipping and free products",
  },
  discountCode: { type: ["string", "null"], description: "The Shopify discount code; null for store credit" },
  pointsSpent: points("The points spent on it"),
  status: {
    type: "string",
    enum: REWARD_STATUSES,
    description: "ACTIVE (usable), USED, EXPIRED (also an active code past its expiry date) or REFUNDED",
  },
  createdAt: { ...timestamp, description: "When it was bought" },
  expiresAt: nullable({ ...timestamp, description: "When the code stops working; null when it does not expire" }),
  usedAt: nullable({ ...timestamp, description: "When it was marked used" }),
  refundedAt: nullable({ ...timestamp, description: "When it was refunded" }),
};

export const schemas: Record<string, SchemaObject> = {
  AppstleCustomerLoyalty: {
    ...object({
      customerId: { type: ["integer", "null"], description: "The Shopify customer ID; null until it is known" },
      customerEmail: { type: ["string", "null"], description: "The customer's email address" },
      availablePoints: points("Points the customer can spend now"),
      pendingPoints: points("Points earned but waiting for approval"),
      creditedPoints: points("Every point ever earned (lifetime points)"),
      spentAmount: points("Every point spent on rewards"),
      storeCreditBalance: money("Shopify store credit, in the shop's currency (always 0 here: read it from Shopify)"),
      achievableTierId: {
        type: ["string", "null"],
        description: "The next VIP tier above the current one; null at the top or without tiers",
      },
      currentVipTier: { type: ["string", "null"], description: "The current VIP tier's name; null without one" },
      vipTierExpiredAt: {
        ...nullable(timestamp),
        description: "Always null: tiers are kept by standing, not until a date",
      },
      createAt: { ...timestamp, description: "When the customer joined the programme" },
      rewardedForFacebook: rewardedFor("liking or following on Facebook"),
      rewardedForPinterest: rewardedFor("following on Pinterest"),
      rewardedForTwitter: rewardedFor("following on X (Twitter)"),
      rewardedForInstagram: rewardedFor("following on Instagram"),
      rewardedForYoutube: rewardedFor("subscribing on YouTube"),
      rewardedForTiktok: rewardedFor("following on TikTok"),
      rewardedForNewsLetter: rewardedFor("subscribing to the newsletter"),
      rewardedForSms: rewardedFor("subscribing to SMS"),
      rewardedForCreatingAccount: rewardedFor("creating an account"),
      rewardedForSharingOnFacebook: rewardedFor("sharing on Facebook"),
      rewardedForSharingOnX: rewardedFor("sharing on X"),
      referredCompleted: { type: "integer", minimum: 0, description: "How many referrals earned the customer points" },
      customerStatus: {
        type: "string",
        enum: ["ACTIVE", "INACTIVE", "EXCLUDED", "EXCLUDED_BY_CUSTOMER"],
        description:
          "ACTIVE member; EXCLUDED by the merchant or EXCLUDED_BY_CUSTOMER (opted out) — neither earns nor spends",
      },
      dob: { ...nullable(date), description: "Birth date, YYYY-MM-DD; null when not given" },
      rewards: {
        type: "array",
        items: ref("AppstleRewardEntry"),
        description: "The rewards the customer bought, newest first (filtered by `status` on customer-loyalty)",
      },
      expiringPointsAmount: points("Points that expire within the next 30 days"),
      pointsExpireAt: {
        ...nullable(timestamp),
        description: "When the next of those points expire; null when none expire soon",
      },
    }),
    description: "Appstle's customer loyalty object (seed 003): every field is always present",
  },
  AppstleRewardEntry: { ...object(rewardEntryProperties), description: "A reward the customer bought" },
  AppstleUpdatedReward: {
    ...object({
      ...rewardEntryProperties,
      customerId: { type: ["integer", "null"], description: "The Shopify customer ID of its owner" },
    }),
    description: "A bought reward after update-discount, with its owner",
  },
  AppstleDiscountCheck: {
    ...object({
      valid: { type: "boolean", description: "Whether the customer can use the code now" },
      reason: {
        type: ["string", "null"],
        enum: ["NOT_FOUND", "NOT_YOURS", "USED", "EXPIRED", "REFUNDED", null],
        description: "Why not; null when valid",
      },
      discountCode: { type: "string", description: "The code as stored (or as given when there is none)" },
      status: {
        type: ["string", "null"],
        enum: [...REWARD_STATUSES, null],
        description: "The code's status; null when NOT_FOUND or NOT_YOURS",
      },
    }),
    description: "Whether a discount code is usable by the customer",
  },
  AppstleRedeemRule: {
    ...object({
      id: { type: "string", description: "The redeemRuleId to give redeem-points" },
      name: { type: "string" },
      description: { type: ["string", "null"] },
      rewardType: { type: "string", enum: REWARD_TYPES },
      discountType: {
        type: ["string", "null"],
        enum: ["FIXED", "PERCENTAGE", null],
        description: "How discountValue reads; null for free shipping and free products",
      },
      discountValue: {
        type: ["number", "null"],
        description: "FIXED: the amount in currencyCode (major units); PERCENTAGE: percent off; else null",
      },
      currencyCode: { type: "string", pattern: "^[A-Z]{3}$", description: "The shop's currency (ISO 4217)" },
      variable: { type: "boolean", description: "Whether the customer chooses how many points to spend" },
      pointsRequired: { ...nullable(points("The cost")), description: "The cost in points; null for variable rules" },
      pointsPerCurrencyUnit: {
        ...nullable(points("Variable rules")),
        description: "Variable rules: points per 1 unit of the currency; else null",
      },
      minPoints: { ...nullable(points("Variable rules")), description: "Variable rules: the least to spend" },
      maxPoints: {
        ...nullable(points("Variable rules")),
        description: "Variable rules: the most to spend (null: no limit)",
      },
      minimumSpend: { ...nullable(money("")), description: "The order subtotal the code needs, in currencyCode" },
      expiryDays: { type: ["integer", "null"], description: "Days a bought code stays valid; null: no expiry" },
      vipTierId: { type: ["string", "null"], description: "Only members of this VIP tier may redeem it" },
      vipTierName: { type: ["string", "null"] },
      maxRedemptions: { type: ["integer", "null"], description: "How often one customer may redeem it" },
      freeProductVariantId: { type: ["string", "null"], description: "FREE_PRODUCT: the Shopify variant given" },
      combinesWith: object({
        orderDiscounts: { type: "boolean" },
        productDiscounts: { type: "boolean" },
        shippingDiscounts: { type: "boolean" },
      }),
    }),
    description: "A reward of the catalogue, as Appstle's redeem rule",
  },
};
