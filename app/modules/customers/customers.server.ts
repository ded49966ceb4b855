import { z } from "zod";

import type { Database } from "~/db.server";
import { normaliseShopDomain } from "~/modules/shops/shops.server";

/** The part of Shopify's customer webhook payload that a member mirrors. */
export const shopifyCustomerPayload = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});
export type ShopifyCustomerPayload = z.input<typeof shopifyCustomerPayload>;

export const normaliseEmail = (email: string | null | undefined) => {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : null;
};

/**
 * customers/create and customers/update: creates or refreshes the member that mirrors a Shopify
 * customer. Returns null when the shop is unknown to Pointwise (not installed).
 */
export async function syncCustomerFromShopify(db: Database, shopDomain: string, payload: unknown) {
  const customer = shopifyCustomerPayload.parse(payload);
  const shop = await db.shop.findUnique({ where: { domain: normaliseShopDomain(shopDomain) } });
  if (!shop) return null;
  const data = {
    email: customer.email?.trim() || null,
    emailNormalized: normaliseEmail(customer.email),
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
  };
  return db.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: customer.id } },
    create: { shopId: shop.id, shopifyCustomerId: customer.id, ...data },
    update: data,
  });
}

/** customers/delete and customers/redact: forgets the member's personal data. */
export async function forgetCustomer(db: Database, shopDomain: string, shopifyCustomerId: string) {
  const shop = await db.shop.findUnique({ where: { domain: normaliseShopDomain(shopDomain) } });
  if (!shop) return 0;
  const { count } = await db.customer.deleteMany({ where: { shopId: shop.id, shopifyCustomerId } });
  return count;
}

export const countMembers = (db: Database, shopId: string) => db.customer.count({ where: { shopId } });

export const findMemberByShopifyId = (db: Database, shopId: string, shopifyCustomerId: string) =>
  db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
