import { http, HttpResponse } from "msw";
import { afterAll, beforeEach } from "vitest";

import { SANDBOX_SHOP_HEADER } from "~/shopify/admin-fetch.server";

import { AdminApiSimulator } from "../../sandbox/shopify/admin-api";
import { createShopifyState } from "../../sandbox/shopify/state";
import { network } from "../setup/guards";

import { TEST_ACCESS_TOKEN } from "./factories";
import { TEST_SHOP } from "./requests";

/**
 * GIVEN Shopify: the sandbox's simulated Admin API answers, in-process, every Admin API call the app
 * makes to https://<shop>/admin/api/… during the test file (validated against the real schema).
 */
export function simulateShopify(options: { shop?: string; name?: string } = {}) {
  const shop = options.shop ?? TEST_SHOP;
  const state = createShopifyState();
  state.ensureShop(shop, { name: options.name ?? "Pointwise Test Store", currencyCode: "EUR" });
  const simulator = new AdminApiSimulator({
    state,
    accessToken: (domain) => (domain === shop ? TEST_ACCESS_TOKEN : undefined),
    defaultShop: shop,
  });
  const handler = http.post(/^https:\/\/[^/]+\/admin\/api\/[^/]+\/graphql\.json$/, async ({ request }) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set(SANDBOX_SHOP_HEADER, url.hostname);
    try {
      return await simulator.handle(
        new Request(`http://simulator${url.pathname}`, { method: "POST", headers, body: await request.text() }),
      );
    } catch {
      // The "down" fault: a refused connection, as fetch reports it.
      return HttpResponse.error();
    }
  });
  // guards.ts resets handlers after each test.
  beforeEach(() => network.use(handler));
  afterAll(() => simulator.close());
  return { simulator, state, shop };
}
