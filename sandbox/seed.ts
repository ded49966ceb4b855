import type { Database } from "../app/db.server";
import { createApiKey, findApiKeyBySecret } from "../app/modules/api-keys/api-keys.server";
import { syncCustomerFromShopify } from "../app/modules/customers/customers.server";
import { recordInstallation } from "../app/modules/shops/shops.server";
import { SCOPES } from "../app/shopify/scopes";

import type { ShopifyState } from "./shopify/state";
import { legacyIdOf } from "./shopify/state";

export const SANDBOX_SHOP = "pointwise-sandbox.myshopify.com";

/** The demo store's customers: a spread of spenders so every later feature has someone to show. */
export const DEMO_CUSTOMERS = [
  { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", numberOfOrders: 12, amountSpent: "1450.00" },
  { firstName: "Grace", lastName: "Hopper", email: "grace@example.com", numberOfOrders: 4, amountSpent: "389.50" },
  { firstName: "Alan", lastName: "Turing", email: "alan@example.com", numberOfOrders: 1, amountSpent: "42.00" },
  {
    firstName: "Katherine",
    lastName: "Johnson",
    email: "katherine@example.com",
    numberOfOrders: 0,
    amountSpent: "0.00",
  },
];

/**
 * Seeds the sandbox store on first start and leaves it alone after that (running it twice changes
 * nothing): the shop and its customers in the simulated Shopify, an offline session and the
 * installed shop in the app's database, the customers as members (as customers/create would), and
 * a full-access and a read-only REST API key.
 */
export async function seedSandbox({
  db,
  state,
  accessToken,
  restApiKeys,
}: {
  db: Database;
  state: ShopifyState;
  accessToken: string;
  restApiKeys: { fullAccess: string; readOnly: string };
}) {
  state.ensureShop(SANDBOX_SHOP, {
    name: "Pointwise Sandbox",
    email: "owner@pointwise-sandbox.example",
    shopOwnerName: "Sandbox Owner",
    currencyCode: "USD",
  });
  const existing = new Set(state.data(SANDBOX_SHOP).customers.map((customer) => customer.email));
  for (const customer of DEMO_CUSTOMERS) {
    if (!existing.has(customer.email)) state.addCustomer(SANDBOX_SHOP, customer);
  }

  const session = {
    id: `offline_${SANDBOX_SHOP}`,
    shop: SANDBOX_SHOP,
    state: "sandbox",
    isOnline: false,
    scope: SCOPES.join(","),
    accessToken,
  };
  await db.session.upsert({ where: { id: session.id }, create: session, update: session });
  const shop = await recordInstallation(db, SANDBOX_SHOP);
  for (const [name, secret, scope] of [
    ["Sandbox full access", restApiKeys.fullAccess, "full"],
    ["Sandbox read only", restApiKeys.readOnly, "read"],
  ] as const) {
    if (!(await findApiKeyBySecret(db, secret))) await createApiKey(db, { shopId: shop.id, name, scope, secret });
  }
  for (const customer of state.data(SANDBOX_SHOP).customers) {
    await syncCustomerFromShopify(db, SANDBOX_SHOP, {
      id: legacyIdOf(customer.id),
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
    });
  }
}
