import { globSync, readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { validateAdminOperation } from "../../sandbox/shopify/admin-schema";

/** Every `#graphql` template literal in the given files, with where it was found. */
function graphqlDocuments(files: string[]) {
  return files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/`#graphql([^`]*)`/g)].map((match) => ({ file, source: match[1] ?? "" })),
  );
}

const appFiles = globSync("app/**/*.{ts,tsx}").filter((name) => !name.endsWith(".test.ts"));

describe("Admin GraphQL documents", () => {
  const documents = graphqlDocuments(appFiles);

  it("exist only in app/shopify/, the one place that speaks Admin GraphQL", () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.filter((d) => !d.file.startsWith("app/shopify/")).map((d) => d.file)).toEqual([]);
  });

  it.each(documents.map((d) => [d.file, d.source.trim().split("\n")[0], d.source]))(
    "%s: %s is valid against Shopify's Admin schema",
    (_file, _name, source) => {
      expect(validateAdminOperation(source as string).map((error) => error.message)).toEqual([]);
    },
  );

  it("GIVEN an operation with a field Shopify does not have THEN validation names it", () => {
    const errors = validateAdminOperation("query Broken { shop { name loyaltyPoints } }");
    expect(errors.map((error) => error.message).join("\n")).toMatch(
      /Cannot query field "loyaltyPoints" on type "Shop"/,
    );
  });

  it("GIVEN a mutation with a misspelt argument THEN validation rejects it", () => {
    const errors = validateAdminOperation(
      "mutation { discountCodeBasicCreate(basicDiscount: {}) { userErrors { message } } }",
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});
