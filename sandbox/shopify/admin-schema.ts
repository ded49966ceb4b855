import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { ApiVersion } from "@shopify/shopify-api";
import {
  buildClientSchema,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";

/**
 * Shopify's real, published Admin GraphQL schema (introspection JSON shipped in the npm package
 * `@shopify/dev-mcp`), built into a resolver-less graphql-js schema. Every operation the sandbox
 * receives is validated against it, so a query the app sends here either would validate on Shopify
 * too or is rejected the way Shopify rejects it.
 */

const require = createRequire(import.meta.url);
const PACKAGE = "@shopify/dev-mcp";

/** Directory of the installed @shopify/dev-mcp package. */
function devMcpDirectory(): string {
  try {
    return path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    // The package's "exports" map does not expose ./package.json (and its "." entry has only an
    // "import" condition), so require.resolve refuses it. Walk the resolution paths by hand.
    for (const base of require.resolve.paths(PACKAGE) ?? []) {
      const candidate = path.join(base, PACKAGE);
      if (existsSync(path.join(candidate, "package.json"))) return candidate;
    }
    throw new Error(`${PACKAGE} is not installed: cannot load Shopify's Admin GraphQL schema`);
  }
}

/** Absolute path of the gzipped introspection JSON for the API version the app uses. */
export function adminSchemaPath(version: string = ApiVersion.October26): string {
  return path.join(devMcpDirectory(), "dist", "data", `admin_${version}.json.gz`);
}

let memo: GraphQLSchema | undefined;

/** The Admin schema of ApiVersion.October26, built once per process. */
export function loadAdminSchema(): GraphQLSchema {
  if (memo) return memo;
  const file = adminSchemaPath();
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as
    { data?: IntrospectionQuery } | IntrospectionQuery;
  const introspection = "data" in json && json.data ? json.data : (json as IntrospectionQuery);
  memo = buildClientSchema(introspection, { assumeValid: true });
  return memo;
}

export interface ParsedAdminOperation {
  /** The parsed document (also when it fails validation); null when it does not parse. */
  document: DocumentNode | null;
  errors: readonly GraphQLError[];
}

/** Parses and validates an operation; syntax errors come back as GraphQLErrors too. */
export function parseAdminOperation(source: string): ParsedAdminOperation {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return { document: null, errors: [error] };
    throw error;
  }
  const errors = validate(loadAdminSchema(), document);
  return { document, errors };
}

/** Validation errors of an operation against the real Admin schema (empty when it is valid). */
export function validateAdminOperation(source: string): readonly GraphQLError[] {
  return parseAdminOperation(source).errors;
}
