import type { AdminApiContext } from "@shopify/shopify-app-remix/server";

/** The Admin GraphQL client that authenticate.admin / unauthenticated.admin hand out. */
export type AdminGraphql = AdminApiContext["graphql"];

export class ShopifyGraphqlError extends Error {
  constructor(readonly errors: unknown) {
    super(`Shopify Admin API answered with errors: ${JSON.stringify(errors)}`);
    this.name = "ShopifyGraphqlError";
  }
}

/** The `data` of an Admin API response; GraphQL errors become a ShopifyGraphqlError. */
export async function requireData<T>(response: Response & { json(): Promise<{ data?: T; errors?: unknown }> }) {
  const body = await response.json();
  if (body.errors || !body.data) throw new ShopifyGraphqlError(body.errors ?? "no data");
  return body.data;
}
