import type { Database } from "~/db.server";
import type { Tx } from "~/modules/ledger/transaction.server";

/** Normalises a myshopify domain the way every row stores it. */
export const normaliseShopDomain = (domain: string) => domain.trim().toLowerCase();

/** Records that `domain` installed (or re-installed) the app. */
export async function recordInstallation(db: Database, domain: string) {
  const shopDomain = normaliseShopDomain(domain);
  return db.shop.upsert({
    where: { domain: shopDomain },
    create: { domain: shopDomain },
    update: { installedAt: new Date(), uninstalledAt: null },
  });
}

/** app/uninstalled: the shop's sessions go at once (its tokens are dead); its data waits for shop/redact. */
export async function recordUninstallation(db: Database, domain: string) {
  const shopDomain = normaliseShopDomain(domain);
  await db.$transaction([
    db.session.deleteMany({ where: { shop: shopDomain } }),
    db.shop.updateMany({ where: { domain: shopDomain }, data: { uninstalledAt: new Date() } }),
  ]);
}

/** shop/redact: everything Pointwise holds about the shop is deleted (rows cascade from the shop). */
export async function redactShop(db: Database, domain: string) {
  const shopDomain = normaliseShopDomain(domain);
  await db.$transaction([
    db.session.deleteMany({ where: { shop: shopDomain } }),
    db.shop.deleteMany({ where: { domain: shopDomain } }),
  ]);
}

export const findShop = (db: Database, domain: string) =>
  db.shop.findUnique({ where: { domain: normaliseShopDomain(domain) } });

/**
 * Serialises one shop's writes that check a count or a uniqueness no index enforces (at most 10
 * API keys, 25 webhook subscriptions, distinct VIP tier names and thresholds): a no-op UPDATE that
 * holds the shop's row lock until the transaction ends on PostgreSQL. SQLite transactions
 * (inTransaction) already hold the database's write lock.
 */
export async function lockShopRow(tx: Tx, shopId: string) {
  await tx.$executeRaw`UPDATE "Shop" SET "id" = "id" WHERE "id" = ${shopId}`;
}
