import { TEST_APP } from "./app";

/** A JSON request to the REST API, with the key in Mage's header unless told otherwise. */
export function apiRequest(
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    rawBody?: string;
    header?: "authorization" | "bearer" | "x-api-key";
    headers?: Record<string, string>;
  } = {},
) {
  const headers = new Headers({ "Content-Type": "application/json", ...options.headers });
  if (options.key) {
    if (options.header === "bearer") headers.set("Authorization", `Bearer ${options.key}`);
    else if (options.header === "x-api-key") headers.set("X-API-Key", options.key);
    else headers.set("Authorization", options.key);
  }
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Request(`${TEST_APP.appUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
}
