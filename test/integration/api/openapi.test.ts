import { readdirSync, readFileSync } from "node:fs";

import { Validator } from "@seriousme/openapi-schema-validator";
import type { OperationObject, ParameterObject, PathItemObject } from "openapi3-ts/oas31";
import { describe, expect, it } from "vitest";

import { openApiDocument } from "~/modules/api/openapi";
import { renderOpenApiMarkdown } from "~/modules/api/openapi/markdown";

import { apiRequest } from "../../helpers/api";
import { assertDocumentedResponse } from "../../helpers/openapi";
import { callRoute, importRoute } from "../../helpers/routes";

// The OpenAPI document is the contract of /api/v1 and /api/external. Every response the other API
// tests receive is validated against it (test/helpers/openapi.ts); these tests hold the document
// itself to the OpenAPI 3.1 schema, to the route files, and docs/API.md to the document.

const document = openApiDocument();
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** app/routes/api.v1.customers.$identifier.points.tsx → /api/v1/customers/{identifier}/points */
const pathOfRouteFile = (file: string) =>
  "/" +
  file
    .replace(/\.tsx?$/, "")
    .split(/(?<!\[)\.(?!\])/)
    .map((segment) => segment.replace(/^\$(.+)$/, "{$1}").replace("[.]", "."))
    .join("/");

const apiRouteFiles = readdirSync("app/routes").filter(
  (file) => /^api\.(v1|external)\./.test(file) && !/\.\$\.tsx?$/.test(file),
);

const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = (item as PathItemObject)[method];
    return operation ? [{ path, method, operation: operation as OperationObject }] : [];
  }),
);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(document) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("lists every API route with exactly the methods it serves, and no path without a route", async () => {
    expect(apiRouteFiles.length).toBeGreaterThan(10);
    const served: Record<string, string[]> = {};
    for (const file of apiRouteFiles) {
      const route = (await importRoute(`app/routes/${file}`)) as { action?: { methods?: string[] } };
      expect(route.action?.methods, `${file} is not built with apiRoute`).toBeDefined();
      served[pathOfRouteFile(file)] = [...(route.action?.methods ?? [])].map((m) => m.toLowerCase()).sort();
    }
    const documented = Object.fromEntries(
      Object.entries(document.paths ?? {}).map(([path, item]) => [
        path,
        METHODS.filter((method) => (item as PathItemObject)[method]).sort(),
      ]),
    );
    expect(documented).toEqual(served);
  });

  it("gives every operation a unique id, a tag, a summary and the errors every request can meet", () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.operationId, where).toMatch(/^[a-zA-Z][a-zA-Z0-9]+$/);
      expect(operation.tags?.length, where).toBe(1);
      expect(operation.summary, where).toBeTruthy();
      expect(operation.description, where).toBeTruthy();
      for (const status of ["400", "401", "404", "405", "429"])
        expect(operation.responses, where).toHaveProperty(status);
      const success = Object.keys(operation.responses ?? {}).filter((status) => status.startsWith("2"));
      expect(success.length, `${where} documents no success`).toBeGreaterThan(0);
      if (method !== "get") {
        const parameters = (operation.parameters ?? []) as ParameterObject[];
        expect(
          parameters.some((parameter) => parameter.name === "Idempotency-Key" && parameter.in === "header"),
          `${where} does not document Idempotency-Key`,
        ).toBe(true);
        for (const status of ["403", "409", "422"]) expect(operation.responses, where).toHaveProperty(status);
      }
      const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = ((operation.parameters ?? []) as ParameterObject[])
        .filter((parameter) => parameter.in === "path")
        .map((parameter) => parameter.name)
        .sort();
      expect(declared, `${where} path parameters`).toEqual(pathParameters);
    }
  });

  it("is served at GET /api/openapi.json, publicly; other methods get a JSON 405", async () => {
    const request = new Request("http://localhost/api/openapi.json");
    const response = await callRoute("loader", "app/routes/api.openapi[.]json.tsx", request);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
    const post = await callRoute(
      "action",
      "app/routes/api.openapi[.]json.tsx",
      apiRequest("POST", "/api/openapi.json"),
    );
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("GET");
    expect(await post.json()).toMatchObject({ errors: [{ status: "405" }] });
  });

  it("the response check refuses what the document does not say", async () => {
    const unknown = new Request("http://localhost/api/v1/no-such-thing");
    const error = { errors: [{ status: "404", title: "Not Found", detail: "No such resource" }] };
    await expect(assertDocumentedResponse(unknown, Response.json(error, { status: 404 }))).resolves.toBeUndefined();
    await expect(assertDocumentedResponse(unknown, Response.json({}, { status: 200 }))).rejects.toThrow(/no path/);
    const extra = { errors: [{ ...error.errors[0], stack: "at x" }] };
    await expect(assertDocumentedResponse(unknown, Response.json(extra, { status: 404 }))).rejects.toThrow(
      /does not match the document/,
    );
    const appstle = new Request("http://localhost/api/external/no-such-thing");
    await expect(assertDocumentedResponse(appstle, Response.json(error, { status: 404 }))).rejects.toThrow(
      /AppstleError/,
    );
    await expect(assertDocumentedResponse(unknown, new Response("<html>", { status: 404 }))).rejects.toThrow(
      /not JSON/,
    );
    const [first] = operations;
    if (!first) throw new Error("the document has no operations");
    const documented = new Request(`http://localhost${first.path.replace(/\{[^}]+\}/g, "x")}`, {
      method: first.method.toUpperCase(),
    });
    await expect(assertDocumentedResponse(documented, Response.json({}, { status: 418 }))).rejects.toThrow(
      /status 418 is not documented/,
    );
  });

  it("docs/API.md is what the document renders (npm run docs:api)", () => {
    const rendered = renderOpenApiMarkdown(document);
    expect(readFileSync("docs/API.md", "utf8") === rendered, "docs/API.md is stale: run npm run docs:api").toBe(true);
    for (const { path, method } of operations) expect(rendered).toContain(`### ${method.toUpperCase()} ${path}`);
  });
});
