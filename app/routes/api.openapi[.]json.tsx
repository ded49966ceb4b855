import { openApiDocument } from "~/modules/api/openapi";

// GET /api/openapi.json — the OpenAPI 3.1 document of /api/v1 and /api/external. Public (it holds
// no shop data), cacheable and readable cross-origin so that API tools can load it by URL.
export function loader() {
  return Response.json(openApiDocument(), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}

export function action({ request }: { request: Request }) {
  return Response.json(
    {
      errors: [
        { status: "405", title: "Method Not Allowed", detail: `${request.method} is not allowed here; use GET` },
      ],
    },
    { status: 405, headers: { Allow: "GET" } },
  );
}
