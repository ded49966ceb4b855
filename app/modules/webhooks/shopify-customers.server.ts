import { fetchShopCustomer, type ShopCustomer } from "~/shopify/customers.server";

/** Finds a customer of the shop through the Admin API (null: the shop has no such customer). */
export type CustomerLookup = (shopDomain: string, shopifyCustomerId: string) => Promise<ShopCustomer | null>;

/** With the shop's offline session, as the worker runs. */
export const defaultCustomerLookup: CustomerLookup = async (shopDomain, shopifyCustomerId) => {
  const { unauthenticated } = await import("~/shopify.server");
  const { admin } = await unauthenticated.admin(shopDomain);
  return fetchShopCustomer(admin.graphql, shopifyCustomerId);
};
