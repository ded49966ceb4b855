import { ApiVersion } from "@shopify/shopify-api";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

import { adminSchemaPath, loadAdminSchema, validateAdminOperation } from "./admin-schema";

describe("Shopify's Admin schema", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = loadAdminSchema();
  });

  it("GIVEN the installed @shopify/dev-mcp WHEN the schema loads THEN it is the 2026-10 Admin API, built once", () => {
    expect(adminSchemaPath()).toMatch(new RegExp(`admin_${ApiVersion.October26}\\.json\\.gz$`));
    expect(schema.getQueryType()?.getFields().codeDiscountNodeByCode).toBeDefined();
    expect(schema.getMutationType()?.getFields().storeCreditAccountCredit).toBeDefined();
    expect(loadAdminSchema()).toBe(schema);
  });

  it("GIVEN a field that does not exist WHEN validating THEN the error names the field", () => {
    const errors = validateAdminOperation("{ shop { notAField } }");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]?.message).toContain("notAField");
  });

  it("GIVEN a valid query WHEN validating THEN there are no errors", () => {
    const errors = validateAdminOperation(`
      query Customer($id: ID!) {
        customer(id: $id) { id displayName metafield(namespace: "$app:loyalty", key: "points") { value } }
        shop { name currencyCode }
      }`);
    expect(errors).toEqual([]);
  });

  it("GIVEN a document that does not parse WHEN validating THEN the syntax error comes back as a GraphQLError", () => {
    const errors = validateAdminOperation("{ shop { name }");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]?.message).toMatch(/^Syntax Error/);
  });

  it("GIVEN a mutation with a misspelt input field WHEN validating THEN it is rejected", () => {
    const errors = validateAdminOperation(`
      mutation { discountCodeBasicCreate(basicDiscount: { title: "x" }) { userErrors { message } } }`);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/basicDiscount/);
  });
});
