import type {
  CreatePointwiseMetafieldDefinitionMutation,
  PointwiseShopIdQuery,
  SetPointwiseMetafieldsMutation,
} from "~/types/admin.generated";

import type { AdminGraphql } from "./admin-graphql.server";
import { adminCall, ShopifyThrottledError, ShopifyUnavailableError } from "./discounts.server";

/** Shopify takes at most 25 metafields per metafieldsSet call. */
export const METAFIELDS_PER_CALL = 25;

/** The app-owned namespace every Pointwise metafield lives in (`app--<app id>` in Shopify). */
export const APP_NAMESPACE = "$app";
export const MEMBER_METAFIELD_KEY = "loyalty";
export const PROGRAM_METAFIELD_KEY = "program";

/** Shopify could not be reached, timed out or answered with errors: nothing was written. */
export class MetafieldsUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Shopify is unavailable for metafields: ${describe(cause)}`, { cause });
    this.name = "MetafieldsUnavailableError";
  }
}

/** Shopify is throttling the app: retry after `retryAfterMs`. */
export class MetafieldsThrottledError extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Shopify is throttling metafield writes; retry in ${retryAfterMs} ms`);
    this.name = "MetafieldsThrottledError";
  }
}

export interface MetafieldUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
  elementIndex?: number | null;
}

/** Shopify refused some of the inputs (userErrors); metafieldsSet is atomic, so nothing was written. */
export class MetafieldsRejectedError extends Error {
  constructor(readonly userErrors: MetafieldUserError[]) {
    super(`Shopify refused the metafields: ${userErrors.map((error) => error.message).join("; ")}`);
    this.name = "MetafieldsRejectedError";
  }

  /** Indexes of the rejected inputs (from `field: ["metafields", "3", …]`); null when Shopify did not say. */
  get inputIndexes(): number[] | null {
    const indexes = this.userErrors.map((error) =>
      error.field?.[0] === "metafields" && error.field[1] !== undefined && /^\d+$/.test(error.field[1])
        ? Number(error.field[1])
        : null,
    );
    return indexes.every((index): index is number => index !== null) ? [...new Set(indexes)] : null;
  }
}

function describe(cause: unknown) {
  return cause instanceof Error ? cause.message : JSON.stringify(cause);
}

const SET_METAFIELDS = `#graphql
  mutation SetPointwiseMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        key
        namespace
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

const CREATE_DEFINITION = `#graphql
  mutation CreatePointwiseMetafieldDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
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

const SHOP_ID = `#graphql
  query PointwiseShopId {
    shop {
      id
    }
  }
`;

/**
 * One Admin API call through adminCall (its deadline and throttle detection) without waiting on
 * throttling: the outbox sync reschedules instead. Failures become the errors above.
 */
async function call<T>(graphql: AdminGraphql, document: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return (await adminCall(graphql, document, variables, { maxThrottleRetries: 0 })) as T;
  } catch (error) {
    if (error instanceof ShopifyThrottledError) throw new MetafieldsThrottledError(error.waitMs);
    if (error instanceof ShopifyUnavailableError) throw new MetafieldsUnavailableError(error.cause);
    throw error;
  }
}

export interface MetafieldInput {
  ownerId: string;
  key: string;
  /** Serialised JSON (the metafields are of type json). */
  value: string;
}

/** Writes up to 25 json metafields in the app's namespace in one atomic call; userErrors throw. */
export async function setJsonMetafields(graphql: AdminGraphql, inputs: MetafieldInput[]) {
  if (inputs.length === 0) return;
  if (inputs.length > METAFIELDS_PER_CALL) {
    throw new RangeError(`metafieldsSet takes at most ${METAFIELDS_PER_CALL} metafields, not ${inputs.length}`);
  }
  const data = await call<SetPointwiseMetafieldsMutation>(graphql, SET_METAFIELDS, {
    metafields: inputs.map((input) => ({ ...input, namespace: APP_NAMESPACE, type: "json" })),
  });
  const result = data.metafieldsSet;
  if (!result) throw new MetafieldsUnavailableError("no metafieldsSet in the answer");
  if (result.userErrors && result.userErrors.length > 0) throw new MetafieldsRejectedError(result.userErrors);
}

/** The shop's GID (the owner of shop metafields). */
export async function fetchShopGid(graphql: AdminGraphql) {
  const data = await call<PointwiseShopIdQuery>(graphql, SHOP_ID, {});
  return data.shop.id;
}

/** The definitions Pointwise needs: themes and the storefront can read both. */
export const POINTWISE_METAFIELD_DEFINITIONS = [
  {
    name: "Loyalty",
    description: "The customer's Pointwise points, tier and expiring points (written by Pointwise).",
    namespace: APP_NAMESPACE,
    key: MEMBER_METAFIELD_KEY,
    type: "json",
    ownerType: "CUSTOMER",
    access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ", customerAccount: "READ" },
  },
  {
    name: "Loyalty program",
    description: "The public Pointwise program: ways to earn, rewards, VIP tiers (written by Pointwise).",
    namespace: APP_NAMESPACE,
    key: PROGRAM_METAFIELD_KEY,
    type: "json",
    ownerType: "SHOP",
    access: { admin: "MERCHANT_READ", storefront: "PUBLIC_READ" },
  },
] as const;

/**
 * Creates Pointwise's metafield definitions; one that exists already (userError TAKEN) is fine.
 * Returns which were created now.
 */
export async function ensureMetafieldDefinitions(graphql: AdminGraphql) {
  const created: string[] = [];
  for (const definition of POINTWISE_METAFIELD_DEFINITIONS) {
    const data = await call<CreatePointwiseMetafieldDefinitionMutation>(graphql, CREATE_DEFINITION, { definition });
    const result = data.metafieldDefinitionCreate;
    const errors = (result?.userErrors ?? []).filter((error) => error.code !== "TAKEN");
    if (errors.length > 0) throw new MetafieldsRejectedError(errors);
    if (result?.createdDefinition) created.push(`${definition.ownerType}.${definition.key}`);
  }
  return created;
}
