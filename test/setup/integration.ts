import { copyFileSync } from "node:fs";
import { join } from "node:path";

import pg from "pg";
import { afterAll, inject } from "vitest";

import { postgresUrlFor } from "./database-target";
import { TEST_APP } from "../helpers/app";

import "./guards";

/**
 * Per test file: a database of its own, copied from the migrated template, and the app's
 * environment. Runs before the test file imports any app module.
 */
const template = inject("databaseTemplate");
const copy = `${process.env.VITEST_POOL_ID ?? "0"}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;

if (template.provider === "sqlite") {
  const file = join(template.name, `${copy}.db`);
  copyFileSync(template.url.slice("file:".length), file);
  process.env.DATABASE_URL = `file:${file}`;
} else {
  const name = `${template.name}_${copy}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.name}"`);
  await admin.end();
  process.env.DATABASE_URL = postgresUrlFor(template.url, name);
}

Object.assign(process.env, {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: TEST_APP.apiKey,
  SHOPIFY_API_SECRET: TEST_APP.apiSecret,
  SHOPIFY_APP_URL: TEST_APP.appUrl,
  // A fixed test key (32 bytes, base64) for encrypting integration secrets.
  ENCRYPTION_KEY: "dGVzdC1vbmx5IGVuY3J5cHRpb24ga2V5IC0gMzIgYnk=",
  LOG_LEVEL: "error",
});
delete process.env.POINTWISE_SANDBOX_ADMIN_API_URL;
delete process.env.SCOPES;

afterAll(async () => {
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
});
