import type { Database } from "~/db.server";

import { installShop } from "../../helpers/factories";

let shops = 0;

/** GIVEN another installed shop of this test file (each test gets its own). */
export async function freshShop(db: Database, name: string, data: Record<string, unknown> = {}) {
  shops += 1;
  const shop = await installShop(db, { shop: `${name}-${shops}-${Date.now()}.myshopify.com` });
  if (Object.keys(data).length > 0) await db.shop.update({ where: { id: shop.id }, data });
  return shop;
}

export const uninstall = (db: Database, shopId: string) =>
  db.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date("2026-01-01T00:00:00Z") } });

export const DAY = 86_400_000;
