import type { AdminGraphql } from "./admin-graphql.server";
import { requireData } from "./admin-graphql.server";

const SHOP_PROFILE = `#graphql
  query ShopProfile {
    shop {
      name
      myshopifyDomain
      currencyCode
    }
  }
`;

/** The store's name, domain and currency, as Shopify knows them. */
export async function fetchShopProfile(graphql: AdminGraphql) {
  const data = await requireData(await graphql(SHOP_PROFILE));
  return data.shop;
}
