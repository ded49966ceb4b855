import type { AdminGraphql } from "./admin-graphql.server";

/** How long a purchase waits for Shopify before answering 503 (the shopper keeps every point). */
export const DISCOUNT_TIMEOUT_MS = 8_000;

/** Shopify could not be reached, timed out, or is throttling us: nothing was created. */
export class ShopifyUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Unable to connect to Shopify to generate the discount code", { cause });
    this.name = "ShopifyUnavailableError";
  }
}

/** Shopify refused the discount (userErrors): a configuration problem the merchant must fix. */
export class ShopifyDiscountRejectedError extends Error {
  constructor(readonly userErrors: { field?: string[] | null; message: string; code?: string | null }[]) {
    super(`Shopify refused the discount: ${userErrors.map((error) => error.message).join("; ")}`);
    this.name = "ShopifyDiscountRejectedError";
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

export interface RewardDiscountSpec {
  code: string;
  title: string;
  customerGid: string;
  discountType: string;
  currencyCode: string;
  /** Major-unit decimal strings, as Shopify's Decimal scalar wants them. */
  amount: string | null;
  percentage: number | null;
  minimumSubtotal: string | null;
  freeProductVariantGid: string | null;
  endsAt: Date | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

/** Runs an Admin API call with a deadline; anything but an answer is ShopifyUnavailableError. */
async function call(graphql: AdminGraphql, document: string, variables: Record<string, unknown>) {
  let response: Response;
  try {
    response = await graphql(document, { variables, signal: AbortSignal.timeout(DISCOUNT_TIMEOUT_MS), tries: 1 });
  } catch (error) {
    throw new ShopifyUnavailableError(error);
  }
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors || !body.data) throw new ShopifyUnavailableError(body.errors ?? "no data");
  return body.data;
}

function commonInput(spec: RewardDiscountSpec) {
  return {
    title: spec.title,
    code: spec.code,
    startsAt: new Date().toISOString(),
    endsAt: spec.endsAt?.toISOString() ?? null,
    // Only this member can use it, once.
    context: { customers: { add: [spec.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumRequirement: spec.minimumSubtotal
      ? { subtotal: { greaterThanOrEqualToSubtotal: spec.minimumSubtotal } }
      : null,
    combinesWith: spec.combinesWith,
  };
}

/**
 * Creates the Shopify discount code of a purchased reward (fixed amount, percentage, free product
 * or free shipping), restricted to the member, single use. Returns its id.
 */
export async function createRewardDiscount(graphql: AdminGraphql, spec: RewardDiscountSpec) {
  if (spec.discountType === "free_shipping") {
    const data = await call(graphql, CREATE_FREE_SHIPPING, {
      discount: { ...commonInput(spec), destination: { all: true } },
    });
    return resultOf(data.discountCodeFreeShippingCreate);
  }
  const value =
    spec.discountType === "percentage"
      ? { percentage: spec.percentage }
      : spec.discountType === "free_product"
        ? { percentage: 1 }
        : { discountAmount: { amount: spec.amount, appliesOnEachItem: false } };
  const items =
    spec.discountType === "free_product" && spec.freeProductVariantGid
      ? { products: { productVariantsToAdd: [spec.freeProductVariantGid] } }
      : { all: true };
  const data = await call(graphql, CREATE_BASIC, {
    discount: { ...commonInput(spec), customerGets: { value, items } },
  });
  return resultOf(data.discountCodeBasicCreate);
}

function resultOf(payload: unknown) {
  const result = payload as {
    codeDiscountNode?: { id: string } | null;
    userErrors?: { field?: string[] | null; message: string; code?: string | null }[];
  } | null;
  if (result?.userErrors && result.userErrors.length > 0) throw new ShopifyDiscountRejectedError(result.userErrors);
  if (!result?.codeDiscountNode) throw new ShopifyUnavailableError("no discount in the answer");
  return result.codeDiscountNode.id;
}

/** The id of the discount with this code, if Shopify has one (to finish an interrupted purchase). */
export async function findDiscountIdByCode(graphql: AdminGraphql, code: string) {
  const data = await call(graphql, FIND_BY_CODE, { code });
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
  const data = await call(graphql, DEACTIVATE, { id: discountId });
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
