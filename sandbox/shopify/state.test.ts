import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { addDecimals, createShopifyState, discountStatus, formatDecimal, parseDecimal } from "./state";

const SHOP = "state-test.myshopify.com";
const dirs: string[] = [];
function tempFile() {
  const dir = mkdtempSync(path.join(tmpdir(), "pointwise-shopify-state-"));
  dirs.push(dir);
  return path.join(dir, "nested", "shopify-state.json");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("ShopifyState", () => {
  it("GIVEN a shop WHEN records are added THEN ids are sequential per type, in Shopify's gid format", () => {
    const state = createShopifyState();
    const shop = state.ensureShop(SHOP, { name: "State Test" });
    expect(shop).toMatchObject({
      id: "gid://shopify/Shop/1",
      name: "State Test",
      currencyCode: "USD",
      myshopifyDomain: SHOP,
    });
    const a = state.addCustomer(SHOP, { email: "a@example.com" });
    const b = state.addCustomer(SHOP, { email: "b@example.com" });
    expect([a.id, b.id]).toEqual(["gid://shopify/Customer/1", "gid://shopify/Customer/2"]);
    const order = state.addOrder(SHOP, {
      customerId: a.id,
      lineItems: [{ title: "Mug", price: "12.50", quantity: 2 }],
    });
    expect(order).toMatchObject({
      id: "gid://shopify/Order/1",
      name: "#1001",
      totalPriceSet: { shopMoney: { amount: "25.0", currencyCode: "USD" } },
    });
    expect(state.customer(SHOP, a.id)).toMatchObject({ numberOfOrders: 1, amountSpent: { amount: "25.0" } });
    // ensureShop on an existing shop changes nothing.
    expect(state.ensureShop(SHOP, { name: "Renamed" }).name).toBe("State Test");
  });

  it("GIVEN $app namespaces WHEN metafields are written THEN they are stored as app--<id>--<rest>", () => {
    const state = createShopifyState({ appId: 4242 });
    const customer = state.addCustomer(SHOP, { email: "a@example.com" });
    const metafield = state.upsertMetafield(SHOP, {
      ownerId: customer.id,
      namespace: "$app:loyalty",
      key: "points",
      type: "number_integer",
      value: "5",
    });
    expect(metafield.namespace).toBe("app--4242--loyalty");
    expect(state.resolveNamespace("$app")).toBe("app--4242");
    expect(state.resolveNamespace(undefined)).toBe("app--4242");
    expect(state.metafieldsOf(SHOP, customer.id)).toEqual([metafield]);
    const digest = metafield.compareDigest;
    state.upsertMetafield(SHOP, {
      ownerId: customer.id,
      namespace: "app--4242--loyalty",
      key: "points",
      type: "number_integer",
      value: "6",
    });
    expect(state.findMetafield(SHOP, customer.id, "$app:loyalty", "points")?.compareDigest).not.toBe(digest);
  });

  it("GIVEN a persistPath WHEN state changes THEN it is written atomically and a new state object loads it back", async () => {
    const file = tempFile();
    const first = createShopifyState({ persistPath: file, persistDebounceMs: 20 });
    const customer = first.addCustomer(SHOP, { firstName: "Ada", email: "ada@example.com" });
    first.upsertMetafield(SHOP, {
      ownerId: customer.id,
      namespace: "$app:loyalty",
      key: "points",
      type: "number_integer",
      value: "120",
    });
    first.adjustStoreCredit(SHOP, { ownerId: customer.id, amount: "5.00", currencyCode: "USD" });

    // The debounced write happens by itself…
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // …and flush() writes whatever is pending right away.
    first.addCustomer(SHOP, { email: "grace@example.com" });
    first.flush();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });

    const second = createShopifyState({ persistPath: file });
    expect(second.shopDomains()).toEqual([SHOP]);
    expect(second.data(SHOP).customers.map((c) => c.email)).toEqual(["ada@example.com", "grace@example.com"]);
    expect(second.findMetafield(SHOP, customer.id, "$app:loyalty", "points")?.value).toBe("120");
    expect(second.storeCreditAccountsOf(SHOP, customer.id)[0]?.balance).toEqual({ amount: "5.0", currencyCode: "USD" });
    // Counters survive too: the next customer does not reuse an id.
    expect(second.addCustomer(SHOP, { email: "alan@example.com" }).id).toBe("gid://shopify/Customer/3");
  });

  it("GIVEN no persisted file WHEN created with a persistPath THEN it starts empty", () => {
    const state = createShopifyState({ persistPath: tempFile() });
    expect(state.shopDomains()).toEqual([]);
  });
});

describe("values", () => {
  it("GIVEN decimals WHEN added and formatted THEN they follow Shopify's Decimal serialisation", () => {
    expect(addDecimals("10.00", "2.5", 0.1)).toBe("12.6");
    expect(formatDecimal(parseDecimal("100"))).toBe("100.0");
    expect(formatDecimal(parseDecimal("-3.25"))).toBe("-3.25");
  });

  it("GIVEN start and end dates WHEN the status is computed THEN it is SCHEDULED, ACTIVE or EXPIRED", () => {
    const now = new Date("2025-06-01T00:00:00Z");
    expect(discountStatus({ startsAt: "2025-07-01T00:00:00Z", endsAt: null }, now)).toBe("SCHEDULED");
    expect(discountStatus({ startsAt: "2025-01-01T00:00:00Z", endsAt: null }, now)).toBe("ACTIVE");
    expect(discountStatus({ startsAt: "2025-01-01T00:00:00Z", endsAt: "2025-05-01T00:00:00Z" }, now)).toBe("EXPIRED");
  });
});
