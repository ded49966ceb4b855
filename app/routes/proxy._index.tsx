import type { LoaderFunctionArgs } from "@remix-run/node";

import { database } from "~/db.server";
import { authenticateAppProxy } from "~/lib/app-proxy.server";
import { findMemberByShopifyId } from "~/modules/customers/customers.server";
import { findShop } from "~/modules/shops/shops.server";

// GET /apps/<subpath> on the storefront: who is looking (guest or member) and whether the shop runs
// Pointwise. The storefront widget's endpoints grow from here (issue 8).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: shopDomain, customerId } = await authenticateAppProxy(request);
  const db = database();
  const shop = await findShop(db, shopDomain);
  const member = shop && customerId ? await findMemberByShopifyId(db, shop.id, customerId) : null;
  return Response.json(
    {
      shop: shopDomain,
      installed: Boolean(shop && !shop.uninstalledAt),
      customer: customerId
        ? { loggedIn: true, member: Boolean(member), firstName: member?.firstName ?? null }
        : { loggedIn: false },
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
};
