import type { Database } from "~/db.server";
import { recordInstallation } from "~/modules/shops/shops.server";
import { SCOPES } from "~/shopify/scopes";

import { TEST_SHOP } from "./requests";

export const TEST_ACCESS_TOKEN = "shpat_test_access_token";

/** GIVEN an installed shop: its row and an offline session, as after Shopify's managed install. */
export async function installShop(
  db: Database,
  overrides: { shop?: string; accessToken?: string; scope?: string } = {},
) {
  const shop = overrides.shop ?? TEST_SHOP;
  await db.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "installed",
      isOnline: false,
      scope: overrides.scope ?? SCOPES.join(","),
      accessToken: overrides.accessToken ?? TEST_ACCESS_TOKEN,
    },
  });
  return recordInstallation(db, shop);
}

let sequence = 0;

/** GIVEN a member mirroring a Shopify customer. */
export async function createMember(
  db: Database,
  shopId: string,
  overrides: Partial<{ shopifyCustomerId: string; email: string; firstName: string; lastName: string }> = {},
) {
  sequence += 1;
  const email = overrides.email ?? `member${sequence}@example.com`;
  return db.customer.create({
    data: {
      shopId,
      shopifyCustomerId: overrides.shopifyCustomerId ?? String(7_000_000 + sequence),
      email,
      emailNormalized: email.toLowerCase(),
      firstName: overrides.firstName ?? "Member",
      lastName: overrides.lastName ?? String(sequence),
    },
  });
}

/** GIVEN an earning rule (social, 100 points, once per member, no approval time unless overridden). */
export function createEarningRule(
  db: Database,
  shopId: string,
  overrides: Partial<Parameters<Database["earningRule"]["create"]>[0]["data"]> = {},
) {
  sequence += 1;
  return db.earningRule.create({
    data: {
      shopId,
      name: `Follow us #${sequence}`,
      category: "social",
      action: "follow_on_instagram",
      pointsCenti: 10_000n,
      oncePerMember: true,
      ...overrides,
    } as Parameters<Database["earningRule"]["create"]>[0]["data"],
  });
}

/** GIVEN a fixed-amount reward costing 500 points unless overridden. */
export function createReward(
  db: Database,
  shopId: string,
  overrides: Partial<Parameters<Database["reward"]["create"]>[0]["data"]> = {},
) {
  sequence += 1;
  return db.reward.create({
    data: {
      shopId,
      name: `5.00 off #${sequence}`,
      discountType: "fixed_amount",
      pointsCostCenti: 50_000n,
      discountAmountMinor: 500n,
      ...overrides,
    } as Parameters<Database["reward"]["create"]>[0]["data"],
  });
}

/** GIVEN a VIP tier (threshold in centipoints or minor units, by the shop's basis). */
export function createTier(
  db: Database,
  shopId: string,
  input: { name: string; threshold: bigint; multiplierBp?: number },
) {
  return db.vipTier.create({
    data: { shopId, name: input.name, threshold: input.threshold, multiplierBp: input.multiplierBp ?? 10_000 },
  });
}

/** GIVEN an API key of the shop; returns its secret. */
/**
 * A REST API key's secret. Its rate limit is set far above what a test file sends, so that only the
 * tests about rate limits (which set their own) ever meet a 429.
 */
export async function createKey(db: Database, shopId: string, scope: "full" | "read" = "full") {
  const { createApiKey } = await import("~/modules/api-keys/api-keys.server");
  const { id, secret } = await createApiKey(db, { shopId, name: `${scope} test key`, scope });
  await db.apiKey.update({ where: { id }, data: { rateLimitPerSecond: 10_000, rateLimitBurst: 10_000 } });
  return secret;
}
