import { ApiProblem } from "~/lib/api-problem";

// Write bodies under /api/v1 come in JSON:API form, `{"data":{"type","id"?,"attributes":{…}}}`, or
// flat, `{…}` (Mage's clients send both). Every write endpoint unwraps them here, so the rules and
// the messages are the same everywhere.

/** How a value is named in an error message: `a string ("abc")`, `null`, `an array`, `number 5`. */
export const kindOf = (value: unknown) =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "an array"
      : typeof value === "string"
        ? `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`
        : typeof value === "object"
          ? "an object"
          : `${typeof value} ${JSON.stringify(value)}`;

export const describeKey = (key: string) => JSON.stringify(key.length > 50 ? `${key.slice(0, 50)}…` : key);

function checkId(given: unknown, expected: string | undefined, where: string) {
  if (expected === undefined) {
    throw new ApiProblem(400, `${where}: ids are chosen by the server; leave ${where} out when creating`);
  }
  if (given !== expected)
    throw new ApiProblem(400, `${where}: must be the id in the path (${expected}), got ${kindOf(given)}`);
}

/**
 * The attributes of a write body of JSON:API type `type`. 400 for a wrong type, no attributes, an `id` when
 * creating (`id` undefined) or one that is not the path's, members beside `data` or inside it other
 * than type / id / attributes, or attributes that are not an object. A flat body may name its type
 * and id too; both must then be right.
 */
export function jsonApiAttributes(
  body: Record<string, unknown>,
  options: { type: string; id?: string },
): Record<string, unknown> {
  if (!("data" in body)) {
    const { type, id, ...rest } = body;
    if ("type" in body && type !== options.type) {
      throw new ApiProblem(400, `type: must be "${options.type}", got ${kindOf(type ?? null)}`);
    }
    if ("id" in body) checkId(id, options.id, "id");
    return rest;
  }
  const extra = Object.keys(body).filter((key) => key !== "data" && key !== "meta" && key !== "jsonapi");
  if (extra.length > 0) {
    throw new ApiProblem(400, `body: unknown member ${extra.map(describeKey).join(", ")} beside data`);
  }
  const data = body.data;
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw new ApiProblem(400, `data: must be an object {"type":"${options.type}","attributes":{…}}`);
  }
  const resource = data as Record<string, unknown>;
  // JSON:API says a resource names its type; a client that leaves it out is not refused for that.
  if ("type" in resource && resource.type !== options.type) {
    throw new ApiProblem(400, `data.type: must be "${options.type}", got ${kindOf(resource.type ?? null)}`);
  }
  if ("id" in resource) checkId(resource.id, options.id, "data.id");
  const unknownMembers = Object.keys(resource).filter((key) => !["type", "id", "attributes"].includes(key));
  if (unknownMembers.length > 0) {
    throw new ApiProblem(
      400,
      `data: unknown member ${unknownMembers.map(describeKey).join(", ")}; use type, attributes`,
    );
  }
  const attributes = resource.attributes;
  if (attributes === undefined) throw new ApiProblem(400, "data.attributes: is required");
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new ApiProblem(400, "data.attributes: must be an object");
  }
  return attributes as Record<string, unknown>;
}
