import type { OpenAPIObject, PathsObject, SchemaObject } from "openapi3-ts/oas31";

import { paths as appstlePaths, schemas as appstleSchemas } from "./appstle";
import { commonComponents } from "./common";
import { paths as cataloguePaths, schemas as catalogueSchemas } from "./mage-catalogue";
import { paths as customerPaths, schemas as customerSchemas } from "./mage-customers";
import { paths as webhookPaths, schemas as webhookSchemas } from "./mage-webhooks";

// The OpenAPI 3.1 document of both REST trees, served at /api/openapi.json and rendered into
// docs/API.md (npm run docs:api). Each part describes its own paths; tests validate every API
// response against the whole, and fail on an API route whose methods the document does not list.

const parts: Array<[string, PathsObject, Record<string, SchemaObject>]> = [
  ["mage-customers", customerPaths, customerSchemas],
  ["mage-catalogue", cataloguePaths, catalogueSchemas],
  ["mage-webhooks", webhookPaths, webhookSchemas],
  ["appstle", appstlePaths, appstleSchemas],
];

function merge<T>(into: Record<string, T>, from: Record<string, T>, what: string, part: string) {
  for (const [name, value] of Object.entries(from)) {
    if (name in into) throw new Error(`OpenAPI: ${what} ${name} is defined twice (again in ${part})`);
    into[name] = value;
  }
}

let cached: OpenAPIObject | null = null;

export function openApiDocument(): OpenAPIObject {
  if (cached) return cached;
  const paths: PathsObject = {};
  const schemas: Record<string, SchemaObject> = { ...commonComponents.schemas } as Record<string, SchemaObject>;
  for (const [part, partPaths, partSchemas] of parts) {
    merge(paths, partPaths, "path", part);
    merge(schemas, partSchemas, "schema", part);
  }
  const document: OpenAPIObject = {
    openapi: "3.1.0",
    info: {
      title: "Pointwise REST API",
      version: "1.0.0",
      description: [
        "Two trees. `/api/v1` is compatible with Mage Loyalty's API (JSON:API bodies, snake_case); " +
          "`/api/external` is compatible with Appstle Loyalty's (camelCase). A client written for either " +
          "switches by changing the base URL and the key.",
        "",
        "- **Keys**: `Authorization: <key>`, `Authorization: Bearer <key>` or `X-API-Key: <key>` on both trees. " +
          "A missing or unknown key is a 401, a write with a read-only key a 403; a key never sees another " +
          "shop's data (404).",
        '- **Errors**: `/api/v1` answers `{"errors":[{"status","title","detail"}]}`, `/api/external` ' +
          "answers `{timestamp, status, error, message, path}`; the message names the field at fault. Bodies " +
          "over 1 MB are a 413, other methods a 405 with `Allow`.",
        "- **Points** are JSON numbers with at most two decimals, kept exactly.",
        "- **Paging** (`/api/v1` lists): `page[number]` (from 1), `page[size]` (default 20, at most 100), " +
          "`sort=-created_at` (a leading `-` is descending), `filter[field]=value`; answers carry " +
          "`meta {total, page, per_page, total_pages}` and `links`.",
        "- **Idempotency**: every POST, PUT and DELETE accepts `Idempotency-Key`. A repeat with the same body " +
          "within 24 hours answers the stored status and body with `Idempotent-Replayed: true` and acts once; " +
          "the same key with another body is a 422; while the first request runs, a 409.",
        "- **Rate limits**: per key, 20 requests per second with bursts of 40 unless configured otherwise, " +
          "shared by every app process. Every response carries `RateLimit-Limit`, `RateLimit-Remaining` and " +
          "`RateLimit-Reset`; over the limit, a 429 with `Retry-After`.",
      ].join("\n"),
    },
    servers: [{ url: "/", description: "This Pointwise app" }],
    security: [{ authorization: [] }, { apiKey: [] }],
    tags: [
      { name: "Mage: customers", description: "Members, their points and histories (/api/v1)" },
      { name: "Mage: catalogue", description: "Earning rules, rewards and VIP tiers (/api/v1)" },
      { name: "Mage: webhooks", description: "Outbound webhook subscriptions (/api/v1)" },
      { name: "Appstle", description: "Appstle-compatible endpoints (/api/external)" },
    ],
    paths,
    components: { ...commonComponents, schemas },
  };
  cached = document;
  return document;
}
