import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";

import { createMember, installShop } from "../helpers/factories";
import { adminDocumentRequest, BROWSER_USER_AGENT, TEST_SHOP } from "../helpers/requests";
import { callRoute } from "../helpers/routes";
import { simulateShopify } from "../helpers/shopify";

const db = database();
const shopify = simulateShopify({ name: "Ada's Emporium" });
const HOME = "app/routes/app._index.tsx";

describe("the embedded admin", () => {
  beforeAll(async () => {
    const shop = await installShop(db);
    await createMember(db, shop.id);
    await createMember(db, shop.id);
  });

  it("GIVEN a session token from Shopify admin THEN the home page loads the shop from the Admin API and the members from the database", async () => {
    shopify.simulator.resetLog();
    const response = await callRoute("loader", HOME, await adminDocumentRequest("/app"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      profile: { name: "Ada's Emporium", myshopifyDomain: TEST_SHOP, currencyCode: "EUR" },
      members: 2,
    });
    expect(shopify.simulator.operations.map((operation) => operation.operationName)).toEqual(["ShopProfile"]);
  });

  it("GIVEN a session token signed with another secret THEN nothing loads, it is sent for a real token, and Shopify is not called", async () => {
    shopify.simulator.resetLog();
    const response = await callRoute("loader", HOME, await adminDocumentRequest("/app", { secret: "forged-secret" }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/auth\/session-token\?/);
    expect(shopify.simulator.operations).toEqual([]);
  });

  it("GIVEN an embedded request with no session token THEN it is sent to the bounce page for one", async () => {
    const url = new URL("https://pointwise.test/app");
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", TEST_SHOP);
    url.searchParams.set("host", Buffer.from(`${TEST_SHOP}/admin`).toString("base64url"));
    const response = await callRoute(
      "loader",
      HOME,
      new Request(url, { headers: { "User-Agent": BROWSER_USER_AGENT } }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/auth\/session-token\?/);
  });

  it("outside the sandbox, the layout loads Shopify's real App Bridge, never the stand-in", async () => {
    const response = await callRoute("loader", "app/routes/app.tsx", await adminDocumentRequest("/app"));
    expect(await response.json()).toEqual({ apiKey: "pointwise-test-client-id" });
  });
});
