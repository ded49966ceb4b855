import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from "openapi3-ts/oas31";

// Renders the OpenAPI document as docs/API.md (npm run docs:api). A test fails when the committed
// file differs from what this renders, so the prose docs follow the code like the JSON does.

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const cell = (text: string | undefined) => (text ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
const anchor = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .trim()
    .replaceAll(" ", "-");

const refName = (ref: string) => ref.split("/").pop() as string;

/** A short type label: `string`, `integer`, `MageError`, `array of Reward`, `string | null`, `"a" | "b"`. */
export function typeLabel(schema: SchemaObject | ReferenceObject | undefined): string {
  if (!schema) return "any";
  if ("$ref" in schema && schema.$ref) return `[${refName(schema.$ref)}](#${anchor(refName(schema.$ref))})`;
  const s = schema as SchemaObject;
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" \\| ");
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return variants.map((variant) => typeLabel(variant)).join(" \\| ");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes("array")) {
    const rest = types.filter((type) => type !== "array");
    return [`array of ${typeLabel(s.items as SchemaObject)}`, ...rest].join(" \\| ");
  }
  if (types.length === 0) return s.properties ? "object" : "any";
  return types.join(" \\| ") + (s.format ? ` (${s.format})` : "");
}

const constraints = (schema: SchemaObject) => {
  const notes: string[] = [];
  if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) notes.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  if (schema.multipleOf !== undefined) notes.push(`multiple of ${schema.multipleOf}`);
  if (schema.minLength !== undefined) notes.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) notes.push(`max length ${schema.maxLength}`);
  if (schema.maxItems !== undefined) notes.push(`at most ${schema.maxItems} items`);
  if (schema.pattern !== undefined) notes.push(`pattern \`${schema.pattern}\``);
  if (schema.default !== undefined) notes.push(`default \`${JSON.stringify(schema.default)}\``);
  return notes.join(", ");
};

/** Property rows of an object schema, nested objects flattened as `parent.child`. */
function propertyRows(schema: SchemaObject, prefix = "", depth = 0): string[] {
  const rows: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const p = property as SchemaObject;
    const description = [p.description, "$ref" in p ? "" : constraints(p)].filter(Boolean).join(" — ");
    rows.push(
      `| \`${prefix}${name}\` | ${typeLabel(p)} | ${required.has(name) ? "yes" : "no"} | ${cell(description)} |`,
    );
    if (depth < 3 && !("$ref" in p) && p.properties) rows.push(...propertyRows(p, `${prefix}${name}.`, depth + 1));
    const items = p.items as SchemaObject | undefined;
    if (depth < 3 && items && !("$ref" in items) && items.properties) {
      rows.push(...propertyRows(items, `${prefix}${name}[].`, depth + 1));
    }
  }
  return rows;
}

const table = (header: string[], rows: string[]) =>
  rows.length === 0 ? [] : [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows, ""];

function renderSchema(schema: SchemaObject | ReferenceObject): string[] {
  if ("$ref" in schema && schema.$ref) return [`Body: ${typeLabel(schema)}`, ""];
  const s = schema as SchemaObject;
  if (s.properties) return table(["field", "type", "required", "notes"], propertyRows(s));
  if (s.items && !("$ref" in s.items) && (s.items as SchemaObject).properties) {
    return [`An array (${constraints(s) || "any length"}) of:`, "", ...renderSchema(s.items as SchemaObject)];
  }
  const variants = s.oneOf ?? s.anyOf;
  if (variants) {
    return variants.flatMap((variant, index) => [`One of — form ${index + 1}:`, "", ...renderSchema(variant)]);
  }
  return [`Body: ${typeLabel(s)}`, ""];
}

function renderOperation(path: string, method: string, operation: OperationObject): string[] {
  const lines = [`### ${method.toUpperCase()} ${path}`, ""];
  if (operation.summary) lines.push(`**${operation.summary}**`, "");
  if (operation.description) lines.push(operation.description, "");
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  lines.push(
    ...table(
      ["parameter", "in", "type", "required", "notes"],
      parameters.map(
        (parameter) =>
          `| \`${parameter.name}\` | ${parameter.in} | ${typeLabel(parameter.schema)} | ${parameter.required ? "yes" : "no"} | ${cell(
            [
              parameter.description,
              parameter.schema && !("$ref" in parameter.schema) ? constraints(parameter.schema) : "",
            ]
              .filter(Boolean)
              .join(" — "),
          )} |`,
      ),
    ),
  );
  const body = operation.requestBody as RequestBodyObject | undefined;
  const media = body?.content?.["application/json"];
  if (media?.schema) {
    lines.push("Request body (`application/json`):", "", ...renderSchema(media.schema));
    if (media.example !== undefined) lines.push("```json", JSON.stringify(media.example, null, 2), "```", "");
  }
  const responses = Object.entries(operation.responses ?? {}) as Array<[string, ResponseObject]>;
  lines.push(
    ...table(
      ["status", "meaning", "body"],
      responses.map(([status, response]) => {
        const schema = response.content?.["application/json"]?.schema;
        return `| ${status} | ${cell(response.description)} | ${schema ? typeLabel(schema) : "—"} |`;
      }),
    ),
  );
  const success = responses.find(([status]) => status.startsWith("2"));
  const successSchema = success?.[1].content?.["application/json"]?.schema;
  if (successSchema && !("$ref" in successSchema && successSchema.$ref)) {
    lines.push(`Response ${success?.[0]}:`, "", ...renderSchema(successSchema));
  }
  return lines;
}

export function renderOpenApiMarkdown(document: OpenAPIObject): string {
  const lines = [
    `# ${document.info.title} ${document.info.version}`,
    "",
    "<!-- Generated from app/modules/api/openapi/ by `npm run docs:api`; do not edit by hand. -->",
    "",
    document.info.description ?? "",
    "",
    "The machine-readable document: `GET /api/openapi.json` (OpenAPI 3.1).",
    "",
    "## Authentication",
    "",
    ...Object.values(document.components?.securitySchemes ?? {}).map(
      (scheme) => `- ${"description" in scheme ? scheme.description : ""}`,
    ),
    "",
  ];
  const operations: Array<{ tag: string; path: string; method: string; operation: OperationObject }> = [];
  for (const [path, item] of Object.entries(document.paths ?? {}) as Array<[string, PathItemObject]>) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) operations.push({ tag: operation.tags?.[0] ?? "Other", path, method, operation });
    }
  }
  const tags = [...(document.tags ?? []).map((tag) => tag.name), "Other"];
  lines.push("## Endpoints", "");
  for (const tag of tags) {
    const ofTag = operations.filter((entry) => entry.tag === tag);
    if (ofTag.length === 0) continue;
    lines.push(`- **${tag}**`);
    for (const { path, method, operation } of ofTag) {
      const title = `${method.toUpperCase()} ${path}`;
      lines.push(`  - [${title}](#${anchor(title)}) — ${operation.summary ?? ""}`);
    }
  }
  lines.push("");
  for (const tag of tags) {
    const ofTag = operations.filter((entry) => entry.tag === tag);
    if (ofTag.length === 0) continue;
    const description = document.tags?.find((entry) => entry.name === tag)?.description;
    lines.push(`## ${tag}`, "", ...(description ? [description, ""] : []));
    for (const { path, method, operation } of ofTag) lines.push(...renderOperation(path, method, operation));
  }
  lines.push("## Schemas", "");
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    lines.push(`### ${name}`, "");
    if ("description" in schema && schema.description) lines.push(schema.description, "");
    lines.push(...renderSchema(schema));
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
