import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { ADMIN_GRAPHQL_PATH, AdminApiSimulator, type AdminApiSimulatorOptions } from "./admin-api";
import { loadAdminSchema } from "./admin-schema";
import { createShopifyState } from "./state";

const SHOP = "api-test.myshopify.com";
const TOKEN = "shpat_api_test";

const simulators: AdminApiSimulator[] = [];
function makeSimulator(options: Partial<AdminApiSimulatorOptions> = {}) {
  const state = createShopifyState();
  state.ensureShop(SHOP, { name: "API Test" });
  const simulator = new AdminApiSimulator({
    state,
    accessToken: (shop) => (shop === SHOP ? TOKEN : undefined),
    defaultShop: SHOP,
    ...options,
  });
  simulators.push(simulator);
  return simulator;
}

beforeAll(() => {
  loadAdminSchema(); // build the schema once for the file
});
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((s) => s.close()));
});

function post(body: unknown, init: { token?: string | null; path?: string; shop?: string; origin?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (init.token !== null) headers["X-Shopify-Access-Token"] = init.token ?? TOKEN;
  if (init.shop) headers["X-Sandbox-Shop"] = init.shop;
  return new Request(`${init.origin ?? "http://127.0.0.1"}${init.path ?? ADMIN_GRAPHQL_PATH}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("HTTP contract", () => {
  it("GIVEN a wrong or missing access token WHEN posting THEN 401 with Shopify's message", async () => {
    const simulator = makeSimulator();
    for (const token of ["wrong", null]) {
      const response = await simulator.handle(post({ query: "{ shop { name } }" }, { token }));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
    // A shop the app is not installed on has no token at all.
    const other = await simulator.handle(post({ query: "{ shop { name } }" }, { shop: "other.myshopify.com" }));
    expect(other.status).toBe(401);
  });

  it("GIVEN another API version or path WHEN posting THEN 404 Not Found", async () => {
    const simulator = makeSimulator();
    for (const path of ["/admin/api/2025-01/graphql.json", "/admin/api/unstable/graphql.json", "/admin/graphql.json"]) {
      const response = await simulator.handle(post({ query: "{ shop { name } }" }, { path }));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ errors: "Not Found" });
    }
  });

  it("GIVEN a body that is not JSON or has no query WHEN posting THEN 400", async () => {
    const simulator = makeSimulator();
    for (const body of ["{not json", { variables: {} }]) {
      const response = await simulator.handle(post(body));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: { query: "Required parameter missing or invalid" } });
    }
  });

  it("GIVEN an invalid document WHEN posting THEN 200 with Shopify-style errors and no data", async () => {
    const simulator = makeSimulator();
    const response = await simulator.handle(post({ query: "query Shop { shop { notAField } }" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: "Field 'notAField' doesn't exist on type 'Shop'",
          locations: [{ line: 1, column: 21 }],
          path: ["query Shop", "shop", "notAField"],
          extensions: { code: "undefinedField", typeName: "Shop", fieldName: "notAField" },
        },
      ],
    });
  });

  it("GIVEN a valid query WHEN posting THEN data and extensions.cost with Shopify's numbers come back, and the operation is logged", async () => {
    const simulator = makeSimulator();
    simulator.state.addCustomer(SHOP, { email: "one@example.com" });
    const response = await simulator.handle(
      post({
        query: "query Customers($n: Int!) { customers(first: $n) { nodes { id email } } }",
        variables: { n: 10 },
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown; extensions: unknown };
    expect(body.data).toEqual({ customers: { nodes: [{ id: "gid://shopify/Customer/1", email: "one@example.com" }] } });
    // requested: 2 + 10 × 1 = 12; actual: 2 + 1 node = 3; bucket: 2000 - 12 + (12 - 3) = 1997
    expect(body.extensions).toEqual({
      cost: {
        requestedQueryCost: 12,
        actualQueryCost: 3,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1997, restoreRate: 100 },
      },
    });
    expect(simulator.operations).toMatchObject([{ operationName: "Customers", variables: { n: 10 }, shop: SHOP }]);
    simulator.resetLog();
    expect(simulator.operations).toEqual([]);
  });

  it("GIVEN a query costing more than 1000 WHEN posting THEN MAX_COST_EXCEEDED", async () => {
    const simulator = makeSimulator();
    const response = await simulator.handle(
      post({ query: "{ customers(first: 250) { nodes { id metafields(first: 250) { nodes { id } } } } }" }),
    );
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(response.status).toBe(200);
    expect(body.errors[0]?.extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 63252, maxCost: 1000 });
    expect(body.errors[0]?.message).toMatch(
      /^Query cost is 63252, which exceeds the single query max cost limit \(1000\)/,
    );
  });
});

describe("throttling", () => {
  it("GIVEN throttling on and an injected clock WHEN the bucket runs dry THEN THROTTLED until it refills", async () => {
    let now = 1_000_000;
    const simulator = makeSimulator({
      now: () => now,
      throttling: true,
      bucket: { maximumAvailable: 30, restoreRate: 10 },
    });
    const mutation = { query: `mutation { customerCreate(input: { firstName: "T" }) { userErrors { message } } }` };
    for (let i = 0; i < 3; i++) {
      const ok = (await (await simulator.handle(post(mutation))).json()) as {
        extensions: { cost: { throttleStatus: { currentlyAvailable: number } } };
      };
      expect(ok.extensions.cost.throttleStatus.currentlyAvailable).toBe(30 - 10 * (i + 1));
    }
    const throttled = await simulator.handle(post(mutation));
    expect(throttled.status).toBe(200);
    expect(await throttled.json()).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 10,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 30, currentlyAvailable: 0, restoreRate: 10 },
        },
      },
    });
    expect(simulator.state.data(SHOP).customers).toHaveLength(3);

    now += 1000; // +10 points
    const again = (await (await simulator.handle(post(mutation))).json()) as { data: unknown };
    expect(again.data).toEqual({ customerCreate: { userErrors: [] } });

    // Switched off at runtime: the same empty bucket no longer refuses.
    simulator.setThrottling(false);
    const unthrottled = (await (await simulator.handle(post(mutation))).json()) as { data?: unknown };
    expect(unthrottled.data).toBeDefined();
  });
});

describe("faults", () => {
  const query = { query: "{ shop { name } }" };

  it("GIVEN a listening simulator WHEN down THEN fetch is refused (ECONNREFUSED) and handle() throws like fetch; WHEN up THEN it answers on the same URL", async () => {
    const simulator = makeSimulator();
    const { url } = await simulator.listen();
    const call = () => fetch(post(query, { origin: url }));
    expect((await call()).status).toBe(200);

    await simulator.setFault("down");
    expect(simulator.fault).toBe("down");
    const refused = await call().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError & { cause?: { code?: string } }).cause?.code).toBe("ECONNREFUSED");
    await expect(simulator.handle(post(query))).rejects.toMatchObject({
      message: "fetch failed",
      cause: { code: "ECONNREFUSED" },
    });

    await simulator.setFault("up");
    const back = await call();
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ data: { shop: { name: "API Test" } } });
  });

  it("GIVEN the slow fault WHEN posting THEN the answer comes after slowDelayMs", async () => {
    const simulator = makeSimulator({ slowDelayMs: 150 });
    const { url } = await simulator.listen();
    await simulator.setFault("slow");
    const started = performance.now();
    const response = await fetch(post(query, { origin: url }));
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    await simulator.setFault("up");
    const fastStart = performance.now();
    await simulator.handle(post(query));
    expect(performance.now() - fastStart).toBeLessThan(140);
  });

  it("GIVEN the throttled fault WHEN posting THEN every request gets THROTTLED with HTTP 200", async () => {
    const simulator = makeSimulator();
    await simulator.setFault("throttled");
    const response = await simulator.handle(post(query));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.extensions.code).toBe("THROTTLED");
  });
});
