import { z } from "zod";

import type { Database } from "~/db.server";
import { normaliseShopDomain } from "~/modules/shops/shops.server";

/**
 * The part of Shopify's customer webhook payload that a member mirrors. Shopify's REST customer
 * payload has no birthday: a member's date of birth comes from our APIs (or a customer metafield a
 * merchant maps), never from customers/create or customers/update, so a sync leaves it as it is.
 */
export const shopifyCustomerPayload = z.object({
  id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});
export type ShopifyCustomerPayload = z.input<typeof shopifyCustomerPayload>;

/** A member's status once Shopify deleted (or erased) the customer: history kept, nothing more. */
export const DELETED = "deleted";

export const normaliseEmail = (email: string | null | undefined) => {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : null;
};

export interface CustomerFacts {
  shopifyCustomerId: string;
  email: string | null | undefined;
  firstName: string | null | undefined;
  lastName: string | null | undefined;
}

/**
 * Creates or refreshes the member of `shopId` that mirrors a Shopify customer (email and names; a
 * deleted member is left as it is and never revived). A member made earlier by email alone (no
 * Shopify id yet) is linked rather than duplicated; an email still held by a deleted member is
 * released to the new customer. Returns the member and whether it was created.
 */
export async function upsertMemberFromShopify(db: Database, shopId: string, facts: CustomerFacts) {
  const { shopifyCustomerId } = facts;
  const data = {
    email: facts.email?.trim() || null,
    emailNormalized: normaliseEmail(facts.email),
    firstName: facts.firstName ?? null,
    lastName: facts.lastName ?? null,
  };
  const existing = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  if (existing?.status === DELETED) return { member: existing, created: false };
  if (data.emailNormalized) {
    await db.customer.updateMany({
      where: { shopId, emailNormalized: data.emailNormalized, status: DELETED, NOT: { shopifyCustomerId } },
      data: { emailNormalized: null },
    });
  }
  if (existing) {
    return { member: await db.customer.update({ where: { id: existing.id }, data }), created: false };
  }
  if (data.emailNormalized) {
    const { count } = await db.customer.updateMany({
      where: { shopId, emailNormalized: data.emailNormalized, shopifyCustomerId: null, status: { not: DELETED } },
      data: { ...data, shopifyCustomerId },
    });
    if (count === 1) {
      const member = await db.customer.findUniqueOrThrow({
        where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
      });
      return { member, created: false };
    }
  }
  const before = await db.customer.count({ where: { shopId, shopifyCustomerId } });
  const member = await db.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } },
    create: { shopId, shopifyCustomerId, ...data },
    update: {},
  });
  return { member, created: before === 0 };
}

/**
 * customers/create and customers/update: creates or refreshes the member that mirrors a Shopify
 * customer. Returns null when the shop is unknown to Pointwise (not installed).
 */
export async function syncCustomerFromShopify(db: Database, shopDomain: string, payload: unknown) {
  const customer = shopifyCustomerPayload.parse(payload);
  const shop = await db.shop.findUnique({ where: { domain: normaliseShopDomain(shopDomain) } });
  if (!shop) return null;
  const { member } = await upsertMemberFromShopify(db, shop.id, {
    shopifyCustomerId: customer.id,
    email: customer.email,
    firstName: customer.first_name,
    lastName: customer.last_name,
  });
  return member;
}

/** The shop's members as the admin counts them: deleted (and erased) customers are not. */
export const countMembers = (db: Database, shopId: string) =>
  db.customer.count({ where: { shopId, status: { not: DELETED } } });

export const findMemberByShopifyId = (db: Database, shopId: string, shopifyCustomerId: string) =>
  db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
