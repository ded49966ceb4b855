import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OperationObject, PathItemObject, ResponseObject } from "openapi3-ts/oas31";

import { openApiDocument } from "~/modules/api/openapi";

// Every response an integration test receives from /api/v1 or /api/external is checked against
// the OpenAPI document (callRoute does it), so the document cannot drift from the code: an
// undocumented status, a missing or extra attribute, a wrong type fails the test that got it.

const document = openApiDocument();
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, multipleOfPrecision: 9 });
addFormats.default(ajv);
ajv.addSchema(document as object, "openapi");

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

const templates = Object.keys(document.paths ?? {}).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  literalLength: template.replace(/\{[^}]+\}/g, "").length,
}));

/** The documented path template that `path` is an instance of (the most literal one wins). */
export function pathTemplateOf(path: string) {
  const matches = templates.filter(({ pattern }) => pattern.test(path));
  matches.sort((a, b) => b.literalLength - a.literalLength);
  return matches[0]?.template ?? null;
}

const validators = new Map<string, ReturnType<Ajv2020["compile"]>>();
function validatorFor(schemaPointer: string) {
  let validator = validators.get(schemaPointer);
  if (!validator) {
    validator = ajv.compile({ $ref: `openapi#/${schemaPointer}` });
    validators.set(schemaPointer, validator);
  }
  return validator;
}

/** Whether the API request's path is one the document covers. */
export const isApiPath = (path: string) => /^\/api\/(v1|external)(\/|$)/.test(path);

/**
 * Throws, naming what differs, when `response` (to `request`) is not what the document says the
 * operation answers. Paths the document does not know may only answer the tree's JSON 404, and
 * methods it does not list only a 405.
 */
export async function assertDocumentedResponse(request: Request, response: Response) {
  const url = new URL(request.url);
  const path = decodeURIComponent(url.pathname);
  const door = path.startsWith("/api/v1") ? "MageError" : "AppstleError";
  const status = String(response.status);
  const text = await response.clone().text();
  const where = `${request.method} ${path} → ${status}`;
  const body = () => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`OpenAPI: ${where} answered a body that is not JSON: ${text.slice(0, 200)}`);
    }
  };
  const check = (schemaPointer: string) => {
    const validate = validatorFor(schemaPointer);
    if (!validate(body())) {
      throw new Error(
        `OpenAPI: ${where} does not match the document (${schemaPointer}):\n` +
          `${ajv.errorsText(validate.errors, { separator: "\n" })}\nbody: ${text.slice(0, 1000)}`,
      );
    }
  };

  const template = pathTemplateOf(path);
  if (!template) {
    if (status !== "404") throw new Error(`OpenAPI: ${where}: the document has no path for ${path}`);
    return check(pointer("components", "schemas", door));
  }
  const item = document.paths?.[template] as PathItemObject;
  const method = request.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
  const operation = item[method] as OperationObject | undefined;
  if (!operation) {
    if (status !== "405") throw new Error(`OpenAPI: ${where}: the document has no ${request.method} for ${template}`);
    return check(pointer("components", "schemas", door));
  }
  const documented = operation.responses?.[status] as ResponseObject | undefined;
  if (!documented) {
    const listed = Object.keys(operation.responses ?? {}).join(", ");
    throw new Error(`OpenAPI: ${where}: status ${status} is not documented for ${template} (it lists ${listed})`);
  }
  const mediaType = documented.content?.["application/json"];
  if (!mediaType) {
    if (text !== "")
      throw new Error(`OpenAPI: ${where}: documented without a body, but answered ${text.slice(0, 200)}`);
    return;
  }
  if (!response.headers.get("Content-Type")?.startsWith("application/json")) {
    throw new Error(`OpenAPI: ${where}: Content-Type is ${response.headers.get("Content-Type")}, not application/json`);
  }
  check(pointer("paths", template, method, "responses", status, "content", "application/json", "schema"));
}
