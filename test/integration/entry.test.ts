import { describe, expect, it } from "vitest";

import { BROWSER_USER_AGENT, TEST_SHOP } from "../helpers/requests";
import { takeCaught } from "../setup/guards";
import { callRoute } from "../helpers/routes";

const form = (fields: Record<string, string>) =>
  new Request("https://pointwise.test/auth/login", {
    method: "POST",
    headers: { "User-Agent": BROWSER_USER_AGENT },
    body: new URLSearchParams(fields),
  });

describe("entry points outside the embedded admin", () => {
  it("GIVEN Shopify opens the app root for a shop THEN it goes to the embedded admin with the same query", async () => {
    const response = await callRoute(
      "loader",
      "app/routes/_index.tsx",
      new Request(`https://pointwise.test/?shop=${TEST_SHOP}&host=abc`),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/app?shop=${TEST_SHOP}&host=abc`);
  });

  it("GIVEN no shop THEN the landing page offers the log-in form", async () => {
    const response = await callRoute("loader", "app/routes/_index.tsx", new Request("https://pointwise.test/"));
    expect(await response.json()).toEqual({ showForm: true });
  });

  it("GIVEN a log-in with no shop THEN asks for one", async () => {
    const response = await callRoute("action", "app/routes/auth.login.tsx", form({ shop: "" }));
    expect(await response.json()).toEqual({ error: "Please enter your shop domain to log in" });
  });

  it("GIVEN a log-in with a malformed shop THEN says it is invalid", async () => {
    const response = await callRoute("action", "app/routes/auth.login.tsx", form({ shop: "not a shop!" }));
    expect(await response.json()).toEqual({ error: "Please enter a valid shop domain to log in" });
  });

  it("GIVEN a log-in with a real shop domain THEN starts Shopify's install flow for it", async () => {
    const response = await callRoute("action", "app/routes/auth.login.tsx", form({ shop: TEST_SHOP }));
    expect(response.status).toBe(302);
    // Shopify-managed installation: the merchant confirms in their admin.
    expect(response.headers.get("Location")).toBe(
      "https://admin.shopify.com/store/pointwise-test/oauth/install?client_id=pointwise-test-client-id",
    );
  });
});

describe("the network guard", () => {
  it("GIVEN a request to a host no test mocked THEN the request fails and so would the test", async () => {
    await expect(fetch("https://shopify.dev/")).rejects.toThrow();
    // What afterEach would fail this test with (taken here so that it does not).
    const caught = takeCaught();
    expect(caught.blockedRequests).toEqual(["GET https://shopify.dev/"]);
    expect(String(caught.consoleErrors[0]?.[0])).toContain("without a matching request handler");
  });
});
