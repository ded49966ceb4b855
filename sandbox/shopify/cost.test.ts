import { parse, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

import { loadAdminSchema } from "./admin-schema";
import { calculateActualQueryCost, calculateQueryCost, LeakyBucket } from "./cost";

describe("query cost", () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = loadAdminSchema();
  });
  const cost = (query: string, variables?: Record<string, unknown>) =>
    calculateQueryCost(schema, parse(query), variables);

  it("GIVEN only scalars on one object WHEN costed THEN the object costs 1 and scalars 0", () => {
    expect(cost("{ shop { id name email currencyCode } }")).toBe(1);
  });

  it("GIVEN nested objects WHEN costed THEN each object costs 1", () => {
    // shop 1 + plan 1 + currencyFormats 1
    expect(cost("{ shop { name plan { displayName } currencyFormats { moneyFormat } } }")).toBe(3);
  });

  it("GIVEN a connection WHEN costed THEN it is 2 + first × the cost of a node", () => {
    // customers: 2 + 10 × (node 1 + amountSpent 1) = 22
    expect(
      cost("{ customers(first: 10) { edges { cursor node { id amountSpent { amount } } } pageInfo { hasNextPage } } }"),
    ).toBe(22);
    // `nodes` is charged like edges.node: 2 + 5 × 1 = 7
    expect(cost("{ customers(first: 5) { nodes { id } } }")).toBe(7);
    // `last` counts like `first`, variables are read: 2 + 3 × 1 = 5
    expect(cost("query($n: Int) { customers(last: $n) { nodes { id } } }", { n: 3 })).toBe(5);
  });

  it("GIVEN nested connections WHEN costed THEN the inner cost is multiplied by the outer page size", () => {
    // customers: 2 + 10 × (node 1 + metafields(2 + 5 × 1)) = 2 + 10 × 8 = 82
    expect(cost("{ customers(first: 10) { nodes { id metafields(first: 5) { nodes { key value } } } } }")).toBe(82);
  });

  it("GIVEN a union WHEN costed THEN the most expensive branch counts", () => {
    // codeDiscountNodeByCode 1 + codeDiscount 1 + max(Basic: codes(2 + 3 × 1) = 5, Bxgy: 0) = 7
    const query = `{ codeDiscountNodeByCode(code: "X") { id codeDiscount {
      ... on DiscountCodeBasic { title codes(first: 3) { nodes { code } } }
      ... on DiscountCodeBxgy { title } } } }`;
    expect(cost(query)).toBe(7);
  });

  it("GIVEN mutations WHEN costed THEN each top-level mutation costs 10", () => {
    expect(cost(`mutation { metafieldsSet(metafields: []) { metafields { id } userErrors { field } } }`)).toBe(10);
    expect(
      cost(
        `mutation { a: customerCreate(input: {}) { customer { id } } b: customerCreate(input: {}) { customer { id } } }`,
      ),
    ).toBe(20);
  });

  it("GIVEN a response with fewer nodes than requested WHEN the actual cost is computed THEN it counts returned nodes", () => {
    const document = parse("{ customers(first: 10) { nodes { id metafields(first: 5) { nodes { key } } } } }");
    const data = {
      customers: {
        nodes: [
          { id: "1", metafields: { nodes: [{ key: "a" }, { key: "b" }] } },
          { id: "2", metafields: { nodes: [] } },
        ],
      },
    };
    // 2 + (1 + 2 + 2 × 1) + (1 + 2 + 0) = 2 + 5 + 3 = 10
    expect(calculateActualQueryCost(schema, document, {}, data)).toBe(10);
  });
});

describe("LeakyBucket", () => {
  it("GIVEN an injected clock WHEN points are taken THEN they restore at restoreRate per second up to the maximum", () => {
    let now = 0;
    const bucket = new LeakyBucket({ maximumAvailable: 100, restoreRate: 10, now: () => now });
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 100, restoreRate: 10 });
    bucket.take(95);
    expect(bucket.canAfford(10)).toBe(false);
    now += 500; // +5 points
    expect(bucket.status().currentlyAvailable).toBe(10);
    expect(bucket.canAfford(10)).toBe(true);
    bucket.refund(3);
    expect(bucket.status().currentlyAvailable).toBe(13);
    now += 60_000;
    expect(bucket.status().currentlyAvailable).toBe(100);
  });

  it("GIVEN no options WHEN created THEN it is Shopify's standard bucket (2000 points, 100/s)", () => {
    const bucket = new LeakyBucket();
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
  });
});
