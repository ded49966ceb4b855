// Writes Shopify's published Admin GraphQL schema (introspection JSON, shipped in @shopify/dev-mcp)
// to app/types/admin-<version>.schema.json, where @shopify/api-codegen-preset looks for it before
// it would try to download one. The version is app/shopify/api-version.ts's, read from
// @shopify/shopify-api's ApiVersion.October26.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

import { ApiVersion } from "@shopify/shopify-api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const version = ApiVersion.October26;
// The package's "exports" hide its data folder from resolution; it sits in node_modules.
const source = join(root, "node_modules/@shopify/dev-mcp/dist/data", `admin_${version}.json.gz`);
const target = join(root, "app/types", `admin-${version}.schema.json`);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, gunzipSync(readFileSync(source)));
console.log(`Admin schema ${version} → ${target}`);
