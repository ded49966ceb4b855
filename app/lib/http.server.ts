/** A JSON error for the storefront and internal doors: `{"error": {"code", "message"}}`. */
export function jsonError(status: number, code: string, message: string, headers?: HeadersInit) {
  return Response.json({ error: { code, message } }, { status, headers });
}
