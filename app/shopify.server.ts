import "@shopify/shopify-app-remix/adapters/node";
import { LogSeverity } from "@shopify/shopify-api";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { database } from "./db.server";
import { env } from "./lib/env.server";
import { enqueueBackfill } from "./modules/backfill/backfill.server";
import { setUpMetafields } from "./modules/metafields/program.server";
import { recordInstallation } from "./modules/shops/shops.server";
import { installAdminFetch } from "./shopify/admin-fetch.server";
import { ADMIN_API_VERSION } from "./shopify/api-version";
import { SCOPES } from "./shopify/scopes";

const LOG_LEVELS = {
  debug: LogSeverity.Debug,
  info: LogSeverity.Info,
  warn: LogSeverity.Warning,
  error: LogSeverity.Error,
} as const;

const config = env();
installAdminFetch(config.POINTWISE_SANDBOX_ADMIN_API_URL);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.SCOPES?.split(",") ?? SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // The session table lives in the app's own database (SQLite or PostgreSQL).
  sessionStorage: new PrismaSessionStorage(database() as never),
  distribution: AppDistribution.AppStore,
  logger: { level: LOG_LEVELS[config.LOG_LEVEL] },
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      const shop = await recordInstallation(database(), session.shop);
      try {
        // Metafield definitions and the program metafield; repeated on every auth until it succeeds.
        await setUpMetafields(database(), shop.id, admin.graphql);
      } catch (error) {
        console.warn(`Pointwise: metafield set-up for ${session.shop} failed; it is retried on the next auth`, error);
      }
      try {
        // Existing customers become members: queued here, paged by the worker (never during the install).
        await enqueueBackfill(database(), shop.id);
      } catch (error) {
        console.warn(
          `Pointwise: customer backfill for ${session.shop} not queued; it is retried on the next auth`,
          error,
        );
      }
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
