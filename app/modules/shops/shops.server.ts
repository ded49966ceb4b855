import type { Database } from "~/db.server";

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
