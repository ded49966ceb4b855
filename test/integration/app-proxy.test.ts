import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";

import { createMember, installShop } from "../helpers/factories";
import { appProxyRequest } from "../helpers/requests";
import { callRoute } from "../helpers/routes";

const db = database();

describe("storefront requests through Shopify's app proxy", () => {
  beforeAll(async () => {
    const shop = await installShop(db);
    await createMember(db, shop.id, { shopifyCustomerId: "4242", firstName: "Ada" });
  });

  it("GIVEN a signed request from a guest THEN answers 200 with no personal data", async () => {
    const response = await callRoute("loader", "/proxy", appProxyRequest("/proxy"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      shop: "pointwise-test.myshopify.com",
      installed: true,
      customer: { loggedIn: false },
    });
  });

  it("GIVEN a signed request from a logged-in member THEN knows them", async () => {
    const response = await callRoute("loader", "/proxy", appProxyRequest("/proxy", { customerId: "4242" }));
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await response.json()).toMatchObject({ customer: { loggedIn: true, member: true, firstName: "Ada" } });
  });

  it("GIVEN a request signed with another secret THEN answers 401 in JSON", async () => {
    const response = await callRoute("loader", "/proxy", appProxyRequest("/proxy", { secret: "forged" }));
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message: "The app proxy signature is missing, invalid or expired." },
    });
  });

  it("GIVEN a signed request whose customer id was changed afterwards THEN answers 401", async () => {
    const signed = new URL(appProxyRequest("/proxy", { customerId: "1" }).url);
    signed.searchParams.set("logged_in_customer_id", "4242");
    expect((await callRoute("loader", "/proxy", new Request(signed))).status).toBe(401);
  });

  it("GIVEN a correctly signed request older than 90 seconds THEN answers 401 (a replay)", async () => {
    const stale = appProxyRequest("/proxy", { now: Date.now() - 91_000 });
    expect((await callRoute("loader", "/proxy", stale)).status).toBe(401);
  });

  it("GIVEN a request with no signature at all THEN answers 401", async () => {
    const response = await callRoute(
      "loader",
      "/proxy",
      new Request("https://pointwise.test/proxy?shop=pointwise-test.myshopify.com"),
    );
    expect(response.status).toBe(401);
  });
});
