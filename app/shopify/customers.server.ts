import type { BackfillCustomersPageQuery } from "~/types/admin.generated";

import type { AdminGraphql } from "./admin-graphql.server";
import { adminCall } from "./discounts.server";

// One customer of the shop the Admin API client belongs to. Used to check that a customer named by
// a webhook body (whose X-Shopify-Shop-Domain header is not covered by the HMAC) is really the
// delivering shop's customer before Pointwise enrols them.

const CUSTOMER = `#graphql
  query WebhookCustomer($id: ID!) {
    customer(id: $id) {
      id
      firstName
      lastName
      defaultEmailAddress {
        emailAddress
      }
    }
  }
`;

export interface ShopCustomer {
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

/**
 * The customer with this numeric id in the client's shop, or null when the shop has no such customer.
 * Throws ShopifyUnavailableError when Shopify cannot answer (down, slow, throttled past the deadline).
 */
export async function fetchShopCustomer(
  graphql: AdminGraphql,
  shopifyCustomerId: string,
): Promise<ShopCustomer | null> {
  const data = (await adminCall(graphql, CUSTOMER, { id: `gid://shopify/Customer/${shopifyCustomerId}` })) as {
    customer?: {
      id: string;
      firstName?: string | null;
      lastName?: string | null;
      defaultEmailAddress?: { emailAddress?: string | null } | null;
    } | null;
  };
  const customer = data.customer;
  if (!customer) return null;
  return {
    shopifyCustomerId: customer.id.replace(/^gid:\/\/shopify\/Customer\//, ""),
    email: customer.defaultEmailAddress?.emailAddress ?? null,
    firstName: customer.firstName ?? null,
    lastName: customer.lastName ?? null,
  };
}

// The shop's customers, page by page: the install backfill (app/modules/backfill).

const CUSTOMERS_PAGE = `#graphql
  query BackfillCustomersPage($first: Int!, $after: String) {
    customers(first: $first, after: $after, sortKey: ID) {
      nodes {
        id
        firstName
        lastName
        createdAt
        numberOfOrders
        defaultEmailAddress {
          emailAddress
        }
        amountSpent {
          amount
          currencyCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    customersCount {
      count
      precision
    }
  }
`;

export interface ShopifyCustomerSummary {
  /** The numeric id ("gid://shopify/Customer/12" → "12"). */
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
  numberOfOrders: string;
  /** Decimal string in the shop's currency, e.g. "120.50". */
  amountSpent: string;
  currencyCode: string;
}

export interface ShopifyCustomersPage {
  customers: ShopifyCustomerSummary[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** How many customers the shop has, when Shopify gives an exact count. */
  total: number | null;
}

const numericCustomerId = (gid: string) => /^gid:\/\/shopify\/Customer\/(\d+)(?:\?.*)?$/.exec(gid)?.[1] ?? null;

/**
 * One page of the shop's customers, by id (stable paging), with the shop's customer count.
 * Bounded and throttle-aware through adminCall: Shopify unreachable, slow past the deadline or
 * throttling too long → ShopifyUnavailableError.
 * https://shopify.dev/docs/api/admin-graphql/latest/queries/customers
 */
export async function fetchCustomersPage(
  graphql: AdminGraphql,
  { first, after }: { first: number; after: string | null },
): Promise<ShopifyCustomersPage> {
  const data = (await adminCall(graphql, CUSTOMERS_PAGE, { first, after })) as unknown as BackfillCustomersPageQuery;
  const customers = data.customers.nodes.flatMap((node) => {
    const shopifyCustomerId = numericCustomerId(node.id);
    if (!shopifyCustomerId) return [];
    return [
      {
        shopifyCustomerId,
        email: node.defaultEmailAddress?.emailAddress ?? null,
        firstName: node.firstName ?? null,
        lastName: node.lastName ?? null,
        createdAt: String(node.createdAt),
        numberOfOrders: String(node.numberOfOrders),
        amountSpent: String(node.amountSpent.amount),
        currencyCode: String(node.amountSpent.currencyCode),
      },
    ];
  });
  const count = data.customersCount;
  return {
    customers,
    hasNextPage: data.customers.pageInfo.hasNextPage,
    endCursor: data.customers.pageInfo.endCursor ?? null,
    total: count && count.precision === "EXACT" ? count.count : null,
  };
}
