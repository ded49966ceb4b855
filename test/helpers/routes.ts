import { existsSync } from "node:fs";

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { assertDocumentedResponse, isApiPath } from "./openapi";

type RouteModule = {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
};

/** The route file that Remix's flat-routes convention maps `path` to (no params, no layouts). */
export function routeFileFor(path: string) {
  const name = path.replace(/^\//, "").replaceAll("/", ".") || "_index";
  const candidates = [`app/routes/${name}.tsx`, `app/routes/${name}.ts`, `app/routes/${name}._index.tsx`];
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** A route module, named by the path it serves or by its file (app/routes/…). */
export async function importRoute(path: string): Promise<RouteModule> {
  const file = path.startsWith("app/routes/") ? path : routeFileFor(path);
  if (!file) throw new Error(`No route file serves ${path}`);
  return (await import(/* @vite-ignore */ `../../${file}`)) as RouteModule;
}

/**
 * Runs a route's action or loader the way Remix does, turning a thrown Response into the answer.
 * A REST API response is checked against the OpenAPI document before the test sees it.
 */
export async function callRoute(kind: "action" | "loader", path: string, request: Request, params = {}) {
  const route = await importRoute(path);
  const handler = route[kind];
  if (!handler) throw new Error(`${path} has no ${kind}`);
  const { method, url } = request;
  let response: Response;
  try {
    const result = await handler({ request, params, context: {} });
    response = result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  if (isApiPath(new URL(url).pathname)) await assertDocumentedResponse(new Request(url, { method }), response);
  return response;
}
