import { z } from "zod";

import { database, type Database } from "~/db.server";
import { findApiKeyBySecret, presentedKey } from "~/modules/api-keys/api-keys.server";
import { LedgerError } from "~/modules/ledger/errors";

import { ApiProblem } from "./api-problem";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "./idempotency.server";
import { rateLimitHeaders, takeToken } from "./rate-limit.server";

export { ApiProblem };
import { ShopifyDiscountRejectedError, ShopifyUnavailableError } from "~/shopify/discounts.server";

/**
 * The two REST doors and their error vocabularies: Mage-compatible JSON:API errors on /api/v1,
 * Appstle-compatible (Spring-style) errors on /api/external. Every failure of an API request goes
 * through here, so a client never sees a stack trace or an HTML page.
 */
export type ApiDoor = "mage" | "appstle";

export const MAX_BODY_BYTES = 1024 * 1024;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Titles the seeds use for specific errors (seed 002's "Insufficient Points"). */
const LEDGER_TITLES: Record<string, string> = {
  insufficient_points: "Insufficient Points",
  already_awarded: "Already Awarded",
  member_excluded: "Customer Excluded",
  rule_not_awardable: "Rule Not Awardable",
};

/** An error response in the door's own format. */
export function apiError(
  door: ApiDoor,
  request: Request,
  status: number,
  detail: string,
  options: { title?: string; headers?: HeadersInit } = {},
) {
  const title = options.title ?? TITLES[status] ?? "Error";
  const body =
    door === "mage"
      ? { errors: [{ status: String(status), title, detail }] }
      : {
          timestamp: new Date().toISOString(),
          status,
          error: title,
          message: detail,
          path: new URL(request.url).pathname,
        };
  return Response.json(body, { status, headers: options.headers });
}

/** Maps whatever an API route threw to the door's error response; unknown errors become a JSON 500. */
export function apiErrorResponse(door: ApiDoor, request: Request, error: unknown): Response {
  if (error instanceof Response) return error;
  if (error instanceof ApiProblem) {
    const retryAfter = error.status === 503 ? { "Retry-After": "30" } : undefined;
    return apiError(door, request, error.status, error.message, { title: error.title, headers: retryAfter });
  }
  if (error instanceof LedgerError) {
    return apiError(door, request, error.status, error.message, { title: LEDGER_TITLES[error.code] });
  }
  if (error instanceof z.ZodError) return apiError(door, request, 422, describeZodError(error));
  if (error instanceof ShopifyUnavailableError) {
    return apiError(door, request, 503, `${error.message}; no points were spent`, { headers: { "Retry-After": "30" } });
  }
  if (error instanceof ShopifyDiscountRejectedError) return apiError(door, request, 422, error.message);
  console.error(error);
  return apiError(door, request, 500, "Something went wrong on our side; nothing was changed. Please retry.");
}

/** "customer_identifier: is required; points: must be at least 0.01" */
export function describeZodError(error: z.ZodError) {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/** Past 1 MB a body is read on (and dropped) up to this much, so that the client reads the 413. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

const tooLarge = () => new ApiProblem(413, "The request body is larger than 1 MB");

/**
 * The request's body as text, never holding more than 1 MB of it: a larger body is a 413. The rest
 * of an oversized body is read and dropped (up to 16 MB) rather than left unread, because a server
 * that answers and closes while the client still sends makes the client see a reset connection
 * instead of the answer.
 */
export async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > DRAIN_LIMIT_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let dropped = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (dropped === 0 && kept + value.byteLength <= MAX_BODY_BYTES) {
      chunks.push(value);
      kept += value.byteLength;
      continue;
    }
    dropped += value.byteLength;
    if (kept + dropped > DRAIN_LIMIT_BYTES) {
      await reader.cancel();
      break;
    }
  }
  if (dropped > 0) throw tooLarge();
  return Buffer.concat(chunks).toString("utf8");
}

/** The request's JSON body, of any JSON type (undefined when empty): 413 above 1 MB, 400 when it is not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (text.trim() === "") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiProblem(400, "The request body is not valid JSON");
  }
  const withNul = findNulCharacter(body, []);
  if (withNul) throw new ApiProblem(400, `${withNul.join(".") || "body"}: must not contain NUL characters`);
  return body;
}

/** The request's JSON body as an object (`{}` when empty); 400 when it is another JSON type. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const body = await readJsonBody(request);
  if (body === undefined) return {};
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ApiProblem(400, "The request body must be a JSON object");
  return body as Record<string, unknown>;
}

/**
 * The path of the first string (key or value) holding U+0000, which no text column of PostgreSQL
 * can store: such input is refused up front, whichever field it is in, instead of failing deep in
 * a query.
 */
function findNulCharacter(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNulCharacter(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\u0000")];
      const found = findNulCharacter(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Authenticates an API request by its key (Authorization: <key>, Authorization: Bearer <key> or
 * X-API-Key: <key>): 401 without a valid key, 403 for a write with a read-only key. The key's shop
 * is the only shop the request can reach.
 */
export async function authenticateApiKey(db: Database, request: Request, access: "read" | "write") {
  const secret = presentedKey(request.headers);
  if (!secret) throw new ApiProblem(401, "An API key is required: send it as Authorization: <key> or X-API-Key: <key>");
  const key = await findApiKeyBySecret(db, secret);
  if (!key) throw new ApiProblem(401, "The API key is not valid or has been revoked");
  if (access === "write" && key.scope !== "full") throw new ApiProblem(403, "This API key is read-only");
  void db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { key, shopId: key.shopId, actor: `api:${key.prefix}` };
}

const withHeaders = (response: Response, headers: Record<string, string>) => {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What an API handler gets: the request, its route params, and the authenticated key's shop. */
export interface ApiContext {
  request: Request;
  params: Record<string, string | undefined>;
  db: Database;
  shopId: string;
  /** Who acts, for the activity log: "api:<key prefix>". */
  actor: string;
  idempotencyKey: string | null;
}

/**
 * An API route: its handlers by method (405 with Allow for any other), each behind the API key
 * (read access for GET, full access for the rest) and the door's error mapping. Use it as
 * `export const action = apiRoute("mage", { GET: … , POST: … }); export const loader = action;` — two plain
 * exports, so that Remix can strip them (and every server import) from the client bundle.
 */
export function apiRoute(
  door: ApiDoor,
  handlers: Partial<Record<ApiMethod, (context: ApiContext) => Promise<Response>>>,
) {
  const allowed = Object.keys(handlers);
  const handle = async ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => {
    const handler = handlers[request.method as ApiMethod];
    if (!handler) {
      return apiError(door, request, 405, `${request.method} is not allowed here; use ${allowed.join(" or ")}`, {
        headers: { Allow: allowed.join(", ") },
      });
    }
    const db = database();
    let claim: string | null = null;
    let limits: Record<string, string> = {};
    try {
      const { key, shopId, actor } = await authenticateApiKey(db, request, request.method === "GET" ? "read" : "write");
      const limit = await takeToken(db, key.id, { rate: key.rateLimitPerSecond, burst: key.rateLimitBurst });
      limits = rateLimitHeaders(limit);
      if (!limit.allowed) {
        return apiError(
          door,
          request,
          429,
          `Rate limit of ${limit.limit} requests per second exceeded; retry in ${limit.retryAfterSeconds} s`,
          {
            headers: { ...limits, "Retry-After": String(limit.retryAfterSeconds) },
          },
        );
      }
      // Nothing stored holds a NUL (PostgreSQL text cannot), so a path naming one names nothing.
      if (Object.values(params).some((value) => value?.includes("\u0000")))
        throw new ApiProblem(404, "No such resource");
      // A write's body is read once, within the size limit, for the Idempotency-Key's fingerprint
      // and for the handler.
      let body = "";
      if (request.method !== "GET" && request.method !== "HEAD") {
        body = await readBodyText(request);
        const headers = new Headers(request.headers);
        headers.delete("Content-Length");
        request = new Request(request.url, { method: request.method, headers, body, signal: request.signal });
      }
      const idempotencyKey = request.headers.get("Idempotency-Key");
      if (idempotencyKey !== null && request.method !== "GET") {
        const path = new URL(request.url).pathname;
        const claimed = await claimIdempotencyKey(db, {
          shopId,
          key: idempotencyKey,
          method: request.method,
          path,
          body,
        });
        if (claimed.kind === "replay") return withHeaders(claimed.response, limits);
        claim = claimed.id;
      }
      let response: Response;
      try {
        response = await handler({ request, params, db, shopId, actor, idempotencyKey });
      } catch (error) {
        response = apiErrorResponse(door, request, error);
      }
      if (claim) response = await completeIdempotencyKey(db, claim, response);
      return withHeaders(response, limits);
    } catch (error) {
      if (claim) await releaseIdempotencyKey(db, claim).catch(() => undefined);
      return withHeaders(apiErrorResponse(door, request, error), limits);
    }
  };
  // The methods it serves, for the test that holds the OpenAPI document to the routes.
  return Object.assign(handle, { methods: allowed as ApiMethod[] });
}
