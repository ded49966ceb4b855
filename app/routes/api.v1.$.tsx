import { apiError } from "~/lib/api.server";

// Anything else under /api/v1: a JSON:API 404, never an HTML page.
const notFound = ({ request }: { request: Request }) =>
  apiError("mage", request, 404, `No endpoint ${request.method} ${new URL(request.url).pathname}`);

export const loader = notFound;
export const action = notFound;
