import type {
  ComponentsObject,
  ParameterObject,
  ResponseObject,
  ResponsesObject,
  SchemaObject,
} from "openapi3-ts/oas31";

// What every part of the OpenAPI document shares: security, error bodies in each door's format,
// paging, rate-limit headers. The parts (mage-*.ts, appstle.ts) describe their paths with these.
// Integration tests validate every API response against the document (test/helpers/openapi.ts).

export const ref = (schema: string): SchemaObject => ({ $ref: `#/components/schemas/${schema}` });

/** A nullable variant of a schema (OpenAPI 3.1 = JSON Schema 2020-12: a type union with null). */
export const nullable = (schema: SchemaObject): SchemaObject =>
  schema.$ref ? { oneOf: [schema, { type: "null" }] } : { ...schema, type: [schema.type as string, "null"] as never };

/** Points as a JSON number with at most 2 decimals (the ledger keeps centipoints exactly). */
export const points: SchemaObject = { type: "number", multipleOf: 0.01 };
export const timestamp: SchemaObject = { type: "string", format: "date-time" };
export const date: SchemaObject = { type: "string", format: "date", description: "YYYY-MM-DD" };

/** A closed object: every listed property required, nothing else allowed, so the doc cannot drift. */
export const object = (properties: Record<string, SchemaObject>, optional: string[] = []): SchemaObject => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});

/** A JSON:API resource `{type, id, attributes}` with the given type name and attributes. */
export const jsonApiResource = (type: string, attributes: Record<string, SchemaObject>, optional: string[] = []) =>
  object({ type: { const: type }, id: { type: "string" }, attributes: object(attributes, optional) });

/** `{"data": <schema>}` */
export const single = (schema: SchemaObject) => object({ data: schema });

/** `{"data": [<schema>], "meta": {…}, "links": {…}}` */
export const page = (schema: SchemaObject) =>
  object({ data: { type: "array", items: schema }, meta: ref("PageMeta"), links: ref("PageLinks") });

const rateLimitHeaders = {
  "RateLimit-Limit": { description: "Requests per second this key may make", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current burst", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the bucket is full again", schema: { type: "integer" } },
} as const;

/** A JSON response with a body schema and the rate-limit headers. */
export const json = (description: string, schema: SchemaObject, headers = {}): ResponseObject => ({
  description,
  headers: { ...rateLimitHeaders, ...headers },
  content: { "application/json": { schema } },
});

export const noContent = (description: string): ResponseObject => ({ description, headers: { ...rateLimitHeaders } });

const STATUS_TEXT: Record<number, string> = {
  400: "The request is malformed: bad JSON, a missing field, a wrong type or an out-of-range value",
  401: "No API key, or one that does not exist or was revoked",
  403: "A write with a read-only key, or the action is not allowed for this customer",
  404: "No such resource in this key's shop",
  405: "The method is not allowed here (see the Allow header)",
  409: "The request conflicts with the current state (or an Idempotency-Key is still in flight)",
  413: "The request body is larger than 1 MB",
  422: "The request is well-formed but cannot be carried out (or an Idempotency-Key was reused with another body)",
  429: "Rate limit exceeded; retry after the Retry-After header's seconds",
  503: "Shopify is unreachable; nothing was changed",
};

/** The errors every authenticated endpoint can answer, plus the ones given. */
const errorsOf = (schema: string, statuses: number[]): ResponsesObject => {
  const all = [...new Set([400, 401, 403, 404, 405, 413, 429, ...statuses])].sort();
  return Object.fromEntries(
    all.map((status) => [
      String(status),
      json(
        STATUS_TEXT[status] ?? "Error",
        ref(schema),
        status === 429 || status === 503 ? { "Retry-After": { schema: { type: "integer" } } } : {},
      ),
    ]),
  );
};

/** A read's error responses in Mage's JSON:API format: 400 401 403 404 405 413 429, plus `extra`. */
export const mageErrors = (...extra: number[]) => errorsOf("MageError", extra);
/** A write's (POST/PUT/DELETE): also 409 and 422, which a reused Idempotency-Key can answer. */
export const mageWriteErrors = (...extra: number[]) => errorsOf("MageError", [409, 422, ...extra]);
/** A read's error responses in Appstle's format: 400 401 403 404 405 413 429, plus `extra`. */
export const appstleErrors = (...extra: number[]) => errorsOf("AppstleError", extra);
/** A write's, in Appstle's format: also 409 and 422 (a reused Idempotency-Key). */
export const appstleWriteErrors = (...extra: number[]) => errorsOf("AppstleError", [409, 422, ...extra]);

export const idempotencyKeyParameter: ParameterObject = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Any string up to 255 characters. A retry with the same key and body within 24 hours answers the stored " +
    "response with `Idempotent-Replayed: true` and acts once; the same key with another body is a 422; " +
    "while the first request is still running, a 409.",
  schema: { type: "string", maxLength: 255 },
};

export const pageParameters: ParameterObject[] = [
  { name: "page[number]", in: "query", required: false, schema: { type: "integer", minimum: 1, default: 1 } },
  {
    name: "page[size]",
    in: "query",
    required: false,
    description: "Above 100 is served as 100",
    schema: { type: "integer", minimum: 1, default: 20 },
  },
];

export const sortParameter = (fields: string[], fallback: string): ParameterObject => ({
  name: "sort",
  in: "query",
  required: false,
  description: `Comma-separated fields, a leading "-" for descending: ${fields.join(", ")}`,
  schema: { type: "string", default: fallback },
});

export const pathParameter = (name: string, description: string): ParameterObject => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});

export const customerIdentifierParameter = pathParameter(
  "identifier",
  "A Shopify customer ID (numeric or gid://shopify/Customer/…) or the customer's email address (any case)",
);

export const commonComponents: ComponentsObject = {
  securitySchemes: {
    authorization: {
      type: "apiKey",
      in: "header",
      name: "Authorization",
      description: "`Authorization: <key>` (Mage's form); `Authorization: Bearer <key>` is accepted too",
    },
    apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "`X-API-Key: <key>` (Appstle's form)" },
  },
  schemas: {
    MageError: object({
      errors: {
        type: "array",
        minItems: 1,
        items: object({
          status: { type: "string", pattern: "^[1-5][0-9]{2}$" },
          title: { type: "string" },
          detail: { type: "string" },
        }),
      },
    }),
    AppstleError: object({
      timestamp,
      status: { type: "integer" },
      error: { type: "string" },
      message: { type: "string" },
      path: { type: "string" },
    }),
    PageMeta: object({
      total: { type: "integer", minimum: 0 },
      page: { type: "integer", minimum: 1 },
      per_page: { type: "integer", minimum: 1, maximum: 100 },
      total_pages: { type: "integer", minimum: 1 },
    }),
    PageLinks: object({
      self: { type: "string" },
      first: { type: "string" },
      last: { type: "string" },
      prev: { type: ["string", "null"] },
      next: { type: ["string", "null"] },
    }),
  },
};
