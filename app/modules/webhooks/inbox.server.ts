import type { Database } from "~/db.server";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";
import { normaliseShopDomain } from "~/modules/shops/shops.server";

export interface IncomingDelivery {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | null;
  triggeredAt?: string | null;
  payload: string;
}

const validDate = (value: string | null | undefined) => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/**
 * Stores a verified webhook in the inbox for the worker. A redelivery (same shop and webhook id)
 * stores nothing new. A webhook for a shop Pointwise does not know (never installed) is dropped:
 * there is nothing of it to act on. Returns whether a new delivery was stored.
 */
export async function enqueueDelivery(db: Database, incoming: IncomingDelivery) {
  const shopDomain = normaliseShopDomain(incoming.shopDomain);
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return { stored: false as const, reason: "unknown_shop" as const };
  try {
    const delivery = await db.webhookDelivery.create({
      data: {
        shopDomain,
        shopId: shop.id,
        topic: incoming.topic,
        webhookId: incoming.webhookId,
        eventId: incoming.eventId ?? null,
        triggeredAt: validDate(incoming.triggeredAt),
        payload: incoming.payload,
      },
    });
    return { stored: true as const, delivery };
  } catch (error) {
    if (isUniqueViolation(error)) return { stored: false as const, reason: "duplicate" as const };
    throw error;
  }
}
