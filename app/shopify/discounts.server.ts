import type { AdminGraphql } from "./admin-graphql.server";

/** How long a purchase waits for Shopify, retries included, before answering 503 (the shopper keeps every point). */
export const DISCOUNT_TIMEOUT_MS = 8_000;

/**
 * How Admin API calls on a shopper's request are bounded: one deadline for the call and its
 * retries, and at most `maxThrottleRetries` waits when Shopify throttles. Tests shorten the
 * deadline and observe (or skip) the waits through this object.
 */
export const shopifyCallPolicy = {
  timeoutMs: DISCOUNT_TIMEOUT_MS,
  maxThrottleRetries: 2,
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Shopify could not be reached, timed out, or is throttling us: nothing was created. */
export class ShopifyUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Unable to connect to Shopify to generate the discount code", { cause });
    this.name = "ShopifyUnavailableError";
  }
}

export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** Shopify refused the discount (userErrors): a configuration problem the merchant must fix. */
export class ShopifyDiscountRejectedError extends Error {
  constructor(readonly userErrors: ShopifyUserError[]) {
    super(`Shopify refused the discount: ${userErrors.map((error) => error.message).join("; ")}`);
    this.name = "ShopifyDiscountRejectedError";
  }
}

/** Shopify already has a discount with this code (userError TAKEN): choose another and retry. */
export class DiscountCodeTakenError extends ShopifyDiscountRejectedError {
  constructor(userErrors: ShopifyUserError[]) {
    super(userErrors);
    this.name = "DiscountCodeTakenError";
  }
}

interface ThrottleCost {
  requestedQueryCost?: number | null;
  throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } | null;
}

/** Shopify is throttling us and the call gave up waiting: retry after `waitMs`. */
export class ShopifyThrottledError extends ShopifyUnavailableError {
  constructor(
    cause: unknown,
    readonly waitMs: number,
  ) {
    super(cause);
    this.name = "ShopifyThrottledError";
  }
}

/** Shopify told us to slow down: how long it asks us to wait, in ms. */
class ThrottledSignal {
  constructor(readonly waitMs: number) {}
}

const DEFAULT_THROTTLE_WAIT_MS = 1_000;

/** The wait a THROTTLED answer asks for: until the bucket has restored what the query costs. */
export function throttleWaitMs(cost: ThrottleCost | null | undefined) {
  const status = cost?.throttleStatus;
  const rate = status?.restoreRate ?? 0;
  if (!status || rate <= 0) return DEFAULT_THROTTLE_WAIT_MS;
  const missing = Math.max(1, (cost?.requestedQueryCost ?? 1) - (status.currentlyAvailable ?? 0));
  return Math.ceil((missing / rate) * 1_000);
}

function isThrottledErrors(errors: unknown) {
  const list = Array.isArray(errors) ? errors : ((errors as { graphQLErrors?: unknown[] } | null)?.graphQLErrors ?? []);
  return list.some((error) => (error as { extensions?: { code?: string } })?.extensions?.code === "THROTTLED");
}

function retryAfterMs(value: string | number | null | undefined) {
  const seconds = typeof value === "number" ? value : value ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1_000) : DEFAULT_THROTTLE_WAIT_MS;
}

/**
 * What a failed call tells us: throttling (a THROTTLED GraphQL error in a 200 answer, as the
 * client library throws it, or an HTTP 429 with Retry-After) or anything else.
 */
function throttleOf(error: unknown): ThrottledSignal | null {
  if (error instanceof Response) {
    return error.status === 429 ? new ThrottledSignal(retryAfterMs(error.headers.get("Retry-After"))) : null;
  }
  const failure = error as {
    body?: { errors?: unknown; extensions?: { cost?: ThrottleCost } };
    // HttpThrottlingError of @shopify/shopify-api: `response.retryAfter` in seconds.
    response?: { code?: number; status?: number; retryAfter?: number };
  } | null;
  if (!failure || typeof failure !== "object") return null;
  if (failure.response?.code === 429 || failure.response?.status === 429) {
    return new ThrottledSignal(retryAfterMs(failure.response.retryAfter));
  }
  if (failure.body && isThrottledErrors(failure.body.errors)) {
    return new ThrottledSignal(throttleWaitMs(failure.body.extensions?.cost));
  }
  return null;
}

/**
 * Runs an Admin API call within one deadline (`shopifyCallPolicy.timeoutMs`, retries included).
 * Throttling waits as Shopify says and retries, at most `maxThrottleRetries` times (the policy's
 * unless given) and never past the deadline, then gives up with ShopifyThrottledError and the wait
 * Shopify asked for; anything else but an answer is ShopifyUnavailableError.
 * https://shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits
 */
export async function adminCall(
  graphql: AdminGraphql,
  document: string,
  variables: Record<string, unknown>,
  options: { maxThrottleRetries?: number } = {},
) {
  const maxThrottleRetries = options.maxThrottleRetries ?? shopifyCallPolicy.maxThrottleRetries;
  const deadline = Date.now() + shopifyCallPolicy.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new ShopifyUnavailableError("deadline passed");
    let throttle: ThrottledSignal | null;
    let failure: unknown;
    try {
      const response = await graphql(document, { variables, signal: AbortSignal.timeout(remaining), tries: 1 });
      const body = (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: unknown;
        extensions?: { cost?: ThrottleCost };
      };
      if (!body.errors && body.data) return body.data;
      failure = body.errors ?? "no data";
      throttle = isThrottledErrors(body.errors) ? new ThrottledSignal(throttleWaitMs(body.extensions?.cost)) : null;
    } catch (error) {
      failure = error;
      throttle = throttleOf(error);
    }
    if (!throttle) throw new ShopifyUnavailableError(failure);
    if (attempt >= maxThrottleRetries || Date.now() + throttle.waitMs >= deadline) {
      throw new ShopifyThrottledError(failure, throttle.waitMs);
    }
    await shopifyCallPolicy.sleep(throttle.waitMs);
  }
}

const CREATE_BASIC = `#graphql
  mutation CreateBasicRewardDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation CreateFreeShippingRewardDiscount($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const FIND_BY_CODE = `#graphql
  query RewardDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;

/** What the discount gives; amounts are major-unit decimal strings, as Shopify's Decimal wants. */
export type RewardDiscountValue =
  | { kind: "fixed_amount"; amount: string }
  /** 0 < percentage ≤ 1 */
  | { kind: "percentage"; percentage: number }
  | { kind: "free_shipping" }
  | { kind: "free_product"; variantGid: string };

export interface RewardDiscountSpec {
  code: string;
  title: string;
  customerGid: string;
  value: RewardDiscountValue;
  /** Major-unit decimal string, or null for no minimum. */
  minimumSubtotal: string | null;
  startsAt: Date;
  endsAt: Date | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

function commonInput(spec: RewardDiscountSpec) {
  return {
    title: spec.title,
    code: spec.code,
    startsAt: spec.startsAt.toISOString(),
    endsAt: spec.endsAt?.toISOString() ?? null,
    // Only this member can use it, once.
    context: { customers: { add: [spec.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: spec.combinesWith,
  };
}

function minimumOf(spec: RewardDiscountSpec) {
  if (spec.minimumSubtotal) return { subtotal: { greaterThanOrEqualToSubtotal: spec.minimumSubtotal } };
  // A free product needs that product in the cart: at least one eligible item.
  if (spec.value.kind === "free_product") return { quantity: { greaterThanOrEqualToQuantity: "1" } };
  return null;
}

/**
 * Creates the Shopify discount code of a purchased reward, restricted to the member, single use,
 * from now until the reward expires. Returns its id. A free product is 100% off the chosen
 * variant (Shopify's basic discounts cannot limit the quantity: discountOnQuantity is BXGY-only).
 */
export async function createRewardDiscount(graphql: AdminGraphql, spec: RewardDiscountSpec) {
  const base = { ...commonInput(spec), minimumRequirement: minimumOf(spec) };
  if (spec.value.kind === "free_shipping") {
    const data = await adminCall(graphql, CREATE_FREE_SHIPPING, {
      discount: { ...base, destination: { all: true } },
    });
    return resultOf(data.discountCodeFreeShippingCreate);
  }
  const customerGets =
    spec.value.kind === "free_product"
      ? { value: { percentage: 1 }, items: { products: { productVariantsToAdd: [spec.value.variantGid] } } }
      : spec.value.kind === "percentage"
        ? { value: { percentage: spec.value.percentage }, items: { all: true } }
        : { value: { discountAmount: { amount: spec.value.amount, appliesOnEachItem: false } }, items: { all: true } };
  const data = await adminCall(graphql, CREATE_BASIC, { discount: { ...base, customerGets } });
  return resultOf(data.discountCodeBasicCreate);
}

function resultOf(payload: unknown) {
  const result = payload as { codeDiscountNode?: { id: string } | null; userErrors?: ShopifyUserError[] } | null;
  const userErrors = result?.userErrors ?? [];
  if (userErrors.some((error) => error.code === "TAKEN" && error.field?.at(-1) === "code"))
    throw new DiscountCodeTakenError(userErrors);
  if (userErrors.length > 0) throw new ShopifyDiscountRejectedError(userErrors);
  if (!result?.codeDiscountNode) throw new ShopifyUnavailableError("no discount in the answer");
  return result.codeDiscountNode.id;
}

/** The id of the discount with this code, if Shopify has one (to finish an interrupted purchase). */
export async function findDiscountIdByCode(graphql: AdminGraphql, code: string) {
  const data = await adminCall(graphql, FIND_BY_CODE, { code });
  return (data.codeDiscountNodeByCode as { id: string } | null)?.id ?? null;
}

const DEACTIVATE = `#graphql
  mutation DeactivateRewardDiscount($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            asyncUsageCount
          }
          ... on DiscountCodeFreeShipping {
            asyncUsageCount
          }
          ... on DiscountCodeBxgy {
            asyncUsageCount
          }
          ... on DiscountCodeApp {
            asyncUsageCount
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * Deactivates a reward's discount code (it ends now), so that it can no longer be used, and says
 * how often Shopify counted it used: a code used before its order reached us is not refundable.
 * `gone` when Shopify has no such discount any more (a merchant deleted it): nothing can use it.
 */
export async function deactivateRewardDiscount(
  graphql: AdminGraphql,
  discountId: string,
): Promise<{ gone: true } | { gone: false; usageCount: number }> {
  const data = await adminCall(graphql, DEACTIVATE, { id: discountId });
  const result = data.discountCodeDeactivate as {
    codeDiscountNode?: { id: string; codeDiscount?: { asyncUsageCount?: number } | null } | null;
    userErrors?: { field?: string[] | null; message: string; code?: string | null }[];
  } | null;
  const userErrors = result?.userErrors ?? [];
  if (!result?.codeDiscountNode && userErrors.length > 0 && userErrors.every((error) => error.field?.[0] === "id"))
    return { gone: true };
  if (userErrors.length > 0) throw new ShopifyDiscountRejectedError(userErrors);
  if (!result?.codeDiscountNode) throw new ShopifyUnavailableError("no discount in the answer");
  return { gone: false, usageCount: result.codeDiscountNode.codeDiscount?.asyncUsageCount ?? 0 };
}
