import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AdminApiSimulator, ADMIN_GRAPHQL_PATH } from "./admin-api";
import { createShopifyState, type ShopifyState } from "./state";

const SHOP = "resolvers-test.myshopify.com";
const TOKEN = "shpat_resolvers";

// The schema is built once per file (AdminApiSimulator memoises it); state is fresh per test.
let simulator: AdminApiSimulator;
let state: ShopifyState;
beforeAll(() => {
  state = createShopifyState();
  simulator = new AdminApiSimulator({ state, accessToken: () => TOKEN, defaultShop: SHOP });
});
beforeEach(() => {
  state.reset();
  state.ensureShop(SHOP, { name: "Resolvers Test" });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are read dynamically
async function gql(query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await simulator.handle(
    new Request(`http://127.0.0.1${ADMIN_GRAPHQL_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
      body: JSON.stringify({ query, variables }),
    }),
  );
  expect(response.status).toBe(200);
  return response.json();
}

const BASIC_CREATE = `
  mutation Create($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } } } } }
      userErrors { field message code }
    }
  }`;

function basicInput(code: string) {
  return {
    title: `Reward ${code}`,
    code,
    startsAt: "2024-01-01T00:00:00Z",
    customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
    appliesOncePerCustomer: true,
    usageLimit: 1,
  };
}

describe("discount codes", () => {
  it("GIVEN a basic code discount created WHEN looked up by code THEN it is returned with its code and status", async () => {
    const created = await gql(BASIC_CREATE, { input: basicInput("PW-AAAA") });
    expect(created.data.discountCodeBasicCreate.userErrors).toEqual([]);
    const id = created.data.discountCodeBasicCreate.codeDiscountNode.id as string;
    expect(id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);

    const found = await gql(`{ codeDiscountNodeByCode(code: "pw-aaaa") { id codeDiscount { __typename
      ... on DiscountCodeBasic { title status usageLimit appliesOncePerCustomer asyncUsageCount codesCount { count }
        customerGets { value { ... on DiscountAmount { amount { amount currencyCode } } } items { ... on AllDiscountItems { allItems } } } } } } }`);
    const node = found.data.codeDiscountNodeByCode;
    expect(node.id).toBe(id);
    expect(node.codeDiscount).toEqual({
      __typename: "DiscountCodeBasic",
      title: "Reward PW-AAAA",
      status: "ACTIVE",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      asyncUsageCount: 0,
      codesCount: { count: 1 },
      customerGets: { value: { amount: { amount: "5.0", currencyCode: "USD" } }, items: { allItems: true } },
    });
    expect(state.findDiscountByCode(SHOP, "PW-AAAA")?.id).toBe(id);
  });

  it("GIVEN an existing code WHEN a discount with the same code is created THEN Shopify's TAKEN userError comes back and nothing is created", async () => {
    await gql(BASIC_CREATE, { input: basicInput("PW-DUP") });
    const again = await gql(BASIC_CREATE, { input: basicInput("PW-DUP") });
    expect(again.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    expect(state.listDiscounts(SHOP)).toHaveLength(1);
  });

  it("GIVEN bxgy and free shipping inputs WHEN created THEN both exist with their own shapes", async () => {
    const result = await gql(`mutation {
      bxgy: discountCodeBxgyCreate(bxgyCodeDiscount: {
        title: "Buy 2 get 1", code: "PW-BXGY", startsAt: "2024-01-01T00:00:00Z",
        customerBuys: { value: { quantity: "2" }, items: { products: { productsToAdd: ["gid://shopify/Product/1"] } } },
        customerGets: { value: { discountOnQuantity: { quantity: "1", effect: { percentage: 1.0 } } }, items: { products: { productsToAdd: ["gid://shopify/Product/1"] } } }
      }) { codeDiscountNode { codeDiscount { __typename ... on DiscountCodeBxgy { title customerBuys { value { ... on DiscountQuantity { quantity } } } } } } userErrors { field message } }
      ship: discountCodeFreeShippingCreate(freeShippingCodeDiscount: {
        title: "Free shipping", code: "PW-SHIP", startsAt: "2024-01-01T00:00:00Z", destination: { all: true }, maximumShippingPrice: "20.00"
      }) { codeDiscountNode { codeDiscount { __typename ... on DiscountCodeFreeShipping { title discountClass maximumShippingPrice { amount } destinationSelection { ... on DiscountCountryAll { allCountries } } } } } userErrors { field message } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.bxgy).toEqual({
      codeDiscountNode: {
        codeDiscount: {
          __typename: "DiscountCodeBxgy",
          title: "Buy 2 get 1",
          customerBuys: { value: { quantity: "2" } },
        },
      },
      userErrors: [],
    });
    expect(result.data.ship).toEqual({
      codeDiscountNode: {
        codeDiscount: {
          __typename: "DiscountCodeFreeShipping",
          title: "Free shipping",
          discountClass: "SHIPPING",
          maximumShippingPrice: { amount: "20.0" },
          destinationSelection: { allCountries: true },
        },
      },
      userErrors: [],
    });
    expect(state.listDiscounts(SHOP).map((d) => d.codeDiscount.codes[0]?.code)).toEqual(["PW-BXGY", "PW-SHIP"]);
  });

  it("GIVEN an active discount WHEN deactivated THEN its status is EXPIRED; WHEN deleted THEN it is gone", async () => {
    const created = await gql(BASIC_CREATE, { input: basicInput("PW-GONE") });
    const id = created.data.discountCodeBasicCreate.codeDiscountNode.id as string;
    const deactivated = await gql(
      `mutation($id: ID!) { discountCodeDeactivate(id: $id) {
      codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { message } } }`,
      { id },
    );
    expect(deactivated.data.discountCodeDeactivate.codeDiscountNode.codeDiscount.status).toBe("EXPIRED");
    const deleted = await gql(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message } } }`,
      { id },
    );
    expect(deleted.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: id, userErrors: [] });
    expect((await gql(`{ codeDiscountNodeByCode(code: "PW-GONE") { id } }`)).data.codeDiscountNodeByCode).toBeNull();
  });
});

describe("metafields", () => {
  const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { metafields { id namespace key value compareDigest } userErrors { field message code elementIndex } } }`;

  it("GIVEN 26 metafields in one call WHEN set THEN Shopify's limit userError comes back and nothing is written", async () => {
    const customer = state.addCustomer(SHOP, { email: "many@example.com" });
    const metafields = Array.from({ length: 26 }, (_, i) => ({
      ownerId: customer.id,
      namespace: "$app:loyalty",
      key: `k${i}`,
      type: "number_integer",
      value: String(i),
    }));
    const result = await gql(SET, { metafields });
    expect(result.data.metafieldsSet).toEqual({
      metafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: "Exceeded the maximum metafields input limit of 25.",
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    });
    expect(state.metafieldsOf(SHOP, customer.id)).toEqual([]);
  });

  it("GIVEN metafields set on a customer WHEN read through customer.metafield THEN the values come back ($app resolved)", async () => {
    const customer = state.addCustomer(SHOP, { email: "read@example.com" });
    const set = await gql(SET, {
      metafields: [
        { ownerId: customer.id, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "120" },
        { ownerId: customer.id, namespace: "$app:loyalty", key: "tier", type: "single_line_text_field", value: "Gold" },
      ],
    });
    expect(set.data.metafieldsSet.userErrors).toEqual([]);
    expect(set.data.metafieldsSet.metafields.map((m: { namespace: string }) => m.namespace)).toEqual([
      `app--${state.appId}--loyalty`,
      `app--${state.appId}--loyalty`,
    ]);
    const read = await gql(
      `query($id: ID!) { customer(id: $id) {
      points: metafield(namespace: "$app:loyalty", key: "points") { value jsonValue type }
      tier: metafield(namespace: "app--1--loyalty", key: "tier") { value }
      missing: metafield(namespace: "$app:loyalty", key: "nope") { value } } }`,
      { id: customer.id },
    );
    expect(read.data.customer).toEqual({
      points: { value: "120", jsonValue: 120, type: "number_integer" },
      tier: { value: "Gold" },
      missing: null,
    });
  });

  it("GIVEN a stale compareDigest WHEN set THEN STALE_OBJECT comes back and the whole batch is rejected", async () => {
    const customer = state.addCustomer(SHOP, { email: "cas@example.com" });
    const first = await gql(SET, {
      metafields: [
        { ownerId: customer.id, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "1" },
      ],
    });
    const digest = first.data.metafieldsSet.metafields[0].compareDigest as string;
    // Someone else writes in between.
    await gql(SET, {
      metafields: [
        { ownerId: customer.id, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "2" },
      ],
    });

    const stale = await gql(SET, {
      metafields: [
        { ownerId: customer.id, namespace: "$app:loyalty", key: "other", type: "number_integer", value: "7" },
        {
          ownerId: customer.id,
          namespace: "$app:loyalty",
          key: "points",
          type: "number_integer",
          value: "3",
          compareDigest: digest,
        },
      ],
    });
    expect(stale.data.metafieldsSet.metafields).toEqual([]);
    expect(stale.data.metafieldsSet.userErrors).toEqual([
      {
        field: ["metafields", "1"],
        message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
        code: "STALE_OBJECT",
        elementIndex: null,
      },
    ]);
    expect(state.findMetafield(SHOP, customer.id, "$app:loyalty", "points")?.value).toBe("2");
    expect(state.findMetafield(SHOP, customer.id, "$app:loyalty", "other")).toBeUndefined();

    // With the current digest it goes through, and compareDigest: null means "must not exist yet".
    const current = state.findMetafield(SHOP, customer.id, "$app:loyalty", "points")?.compareDigest;
    const fresh = await gql(SET, {
      metafields: [
        {
          ownerId: customer.id,
          namespace: "$app:loyalty",
          key: "points",
          type: "number_integer",
          value: "3",
          compareDigest: current,
        },
      ],
    });
    expect(fresh.data.metafieldsSet.userErrors).toEqual([]);
    const mustNotExist = await gql(SET, {
      metafields: [
        {
          ownerId: customer.id,
          namespace: "$app:loyalty",
          key: "points",
          type: "number_integer",
          value: "4",
          compareDigest: null,
        },
      ],
    });
    expect(mustNotExist.data.metafieldsSet.userErrors[0].code).toBe("STALE_OBJECT");
  });

  it("GIVEN an invalid value or unknown owner WHEN set THEN field-level userErrors come back", async () => {
    const customer = state.addCustomer(SHOP, { email: "bad@example.com" });
    const result = await gql(SET, {
      metafields: [
        { ownerId: customer.id, namespace: "$app:loyalty", key: "points", type: "number_integer", value: "ten" },
        {
          ownerId: "gid://shopify/Customer/999",
          namespace: "$app:loyalty",
          key: "points",
          type: "number_integer",
          value: "1",
        },
      ],
    });
    expect(result.data.metafieldsSet.userErrors).toEqual([
      {
        field: ["metafields", "0", "value"],
        message: "Value must be an integer.",
        code: "INVALID_VALUE",
        elementIndex: null,
      },
      { field: ["metafields", "1", "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex: null },
    ]);
  });

  it("GIVEN a metafield definition WHEN created twice THEN the second gets TAKEN", async () => {
    const create = `mutation { metafieldDefinitionCreate(definition: { name: "Points", namespace: "$app:loyalty", key: "points", type: "number_integer", ownerType: CUSTOMER }) {
      createdDefinition { id namespace key ownerType type { name } } userErrors { field message code } } }`;
    const first = await gql(create);
    expect(first.data.metafieldDefinitionCreate.createdDefinition).toMatchObject({
      namespace: "app--1--loyalty",
      key: "points",
      ownerType: "CUSTOMER",
      type: { name: "number_integer" },
    });
    const second = await gql(create);
    expect(second.data.metafieldDefinitionCreate.createdDefinition).toBeNull();
    expect(second.data.metafieldDefinitionCreate.userErrors).toMatchObject([
      { field: ["definition", "key"], code: "TAKEN" },
    ]);
    const listed = await gql(
      `{ metafieldDefinitions(first: 10, ownerType: CUSTOMER, namespace: "$app:loyalty") { nodes { key } } }`,
    );
    expect(listed.data.metafieldDefinitions.nodes).toEqual([{ key: "points" }]);
  });
});

describe("customers and store credit", () => {
  it("GIVEN a customer WHEN store credit is credited twice THEN the balance grows and reads back", async () => {
    const customer = state.addCustomer(SHOP, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    const CREDIT = `mutation($id: ID!, $amount: Decimal!) {
      storeCreditAccountCredit(id: $id, creditInput: { creditAmount: { amount: $amount, currencyCode: USD } }) {
        storeCreditAccountTransaction { amount { amount currencyCode } balanceAfterTransaction { amount } account { id balance { amount currencyCode } } }
        userErrors { field message code } } }`;
    const first = await gql(CREDIT, { id: customer.id, amount: "10.00" });
    expect(first.data.storeCreditAccountCredit.userErrors).toEqual([]);
    const second = await gql(CREDIT, { id: customer.id, amount: "2.50" });
    expect(second.data.storeCreditAccountCredit.storeCreditAccountTransaction).toMatchObject({
      amount: { amount: "2.5", currencyCode: "USD" },
      balanceAfterTransaction: { amount: "12.5" },
      account: { balance: { amount: "12.5", currencyCode: "USD" } },
    });
    const read = await gql(
      `query($id: ID!) { customer(id: $id) { displayName storeCreditAccounts(first: 5) { nodes { balance { amount } } } } }`,
      { id: customer.id },
    );
    expect(read.data.customer).toEqual({
      displayName: "Ada Lovelace",
      storeCreditAccounts: { nodes: [{ balance: { amount: "12.5" } }] },
    });

    const refused = await gql(CREDIT, { id: customer.id, amount: "0" });
    expect(refused.data.storeCreditAccountCredit.userErrors).toMatchObject([{ code: "NEGATIVE_OR_ZERO_AMOUNT" }]);
    const unknown = await gql(CREDIT, { id: "gid://shopify/Customer/404", amount: "1" });
    expect(unknown.data.storeCreditAccountCredit.userErrors).toMatchObject([
      { field: ["id"], code: "OWNER_NOT_FOUND" },
    ]);
  });

  it("GIVEN customers WHEN searched by email and paged THEN the connection follows Shopify's shape", async () => {
    for (const name of ["a", "b", "c"]) state.addCustomer(SHOP, { firstName: name, email: `${name}@example.com` });
    const byEmail = await gql(`{ customers(first: 5, query: "email:b@example.com") { nodes { email } } }`);
    expect(byEmail.data.customers.nodes).toEqual([{ email: "b@example.com" }]);
    const page1 = await gql(
      `{ customers(first: 2) { edges { cursor node { firstName } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(page1.data.customers.edges.map((e: { node: { firstName: string } }) => e.node.firstName)).toEqual([
      "a",
      "b",
    ]);
    expect(page1.data.customers.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(
      `query($after: String) { customers(first: 2, after: $after) { nodes { firstName } pageInfo { hasNextPage hasPreviousPage } } }`,
      {
        after: page1.data.customers.pageInfo.endCursor,
      },
    );
    expect(page2.data.customers).toEqual({
      nodes: [{ firstName: "c" }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
  });

  it("GIVEN customerCreate with a taken email WHEN run THEN a userError on email comes back", async () => {
    state.addCustomer(SHOP, { email: "taken@example.com" });
    const result = await gql(
      `mutation { customerCreate(input: { email: "taken@example.com" }) { customer { id } userErrors { field message } } }`,
    );
    expect(result.data.customerCreate).toEqual({
      customer: null,
      userErrors: [{ field: ["email"], message: "Email has already been taken" }],
    });
  });
});

describe("what the sandbox does not simulate", () => {
  it("GIVEN a root field that validates but is not simulated WHEN executed THEN a NOT_SIMULATED error comes back", async () => {
    const result = await gql(`{ product(id: "gid://shopify/Product/1") { id } shop { name } }`);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "Pointwise sandbox does not simulate QueryRoot.product",
        path: ["product"],
        extensions: { code: "NOT_SIMULATED" },
      }),
    ]);
    expect(result.data).toEqual({ product: null, shop: { name: "Resolvers Test" } });

    const mutation = await gql(
      `mutation { productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } }`,
    );
    expect(mutation.errors?.[0]).toMatchObject({
      message: "Pointwise sandbox does not simulate Mutation.productDelete",
      extensions: { code: "NOT_SIMULATED" },
    });
  });
});
