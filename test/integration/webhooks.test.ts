import { beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { drainWorker } from "~/jobs/worker.server";

import { createMember, installShop } from "../helpers/factories";
import { TEST_SHOP, webhookRequest, webhookSubscriptions } from "../helpers/requests";
import { callRoute, routeFileFor } from "../helpers/routes";

const db = database();
const subscriptions = webhookSubscriptions();

const samplePayloads: Record<string, unknown> = {
  "app/uninstalled": { id: 1, domain: TEST_SHOP },
  "app/scopes_update": { id: 1, previous: ["read_orders"], current: ["read_orders", "write_customers"] },
  "orders/paid": { id: 5820982911946, email: "ada@example.com", total_price: "10.00" },
  "orders/cancelled": { id: 5820982911946, cancel_reason: "customer" },
  "refunds/create": { id: 509562969, order_id: 5820982911946 },
  "customers/create": { id: 7064055069303, email: "Bob@Example.com", first_name: "Bob", last_name: "Norman" },
  "customers/update": { id: 7064055069303, email: "bob@example.com", first_name: "Robert", last_name: "Norman" },
  "customers/delete": { id: 7064055069303 },
  "customers/data_request": {
    shop_id: 954889,
    shop_domain: TEST_SHOP,
    customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
    orders_requested: [299938],
    data_request: { id: 9999 },
  },
  "customers/redact": {
    shop_id: 954889,
    shop_domain: TEST_SHOP,
    customer: { id: 191167, email: "john@example.com", phone: "555-625-1199" },
    orders_to_redact: [299938],
  },
  "shop/redact": { shop_id: 954889, shop_domain: TEST_SHOP },
};

/** Posts the webhook to its route, then lets the worker process what the route stored. */
async function send(...args: Parameters<typeof callRoute>) {
  const response = await callRoute(...args);
  await drainWorker(db);
  return response;
}

const counts = async () => ({
  sessions: await db.session.count(),
  shops: await db.shop.count(),
  customers: await db.customer.count(),
  deliveries: await db.webhookDelivery.count(),
});

describe("Shopify webhooks", () => {
  beforeEach(async () => {
    await db.webhookDelivery.deleteMany();
    await db.customer.deleteMany();
    await db.shop.deleteMany();
    await db.session.deleteMany();
    const shop = await installShop(db);
    await createMember(db, shop.id, { shopifyCustomerId: "191167", email: "john@example.com" });
  });

  it("subscribes to every topic the app needs, the three compliance topics included", () => {
    expect(subscriptions.map((s) => s.topic).sort()).toEqual(Object.keys(samplePayloads).sort());
    expect(
      subscriptions
        .filter((s) => s.compliance)
        .map((s) => s.topic)
        .sort(),
    ).toEqual(["customers/data_request", "customers/redact", "shop/redact"]);
  });

  describe.each(subscriptions)("$topic → $uri", ({ topic, uri }) => {
    it("has a route file", () => {
      expect(routeFileFor(uri)).not.toBeNull();
    });

    it("GIVEN a correctly signed webhook THEN answers 200", async () => {
      const response = await send("action", uri, webhookRequest(topic, samplePayloads[topic], { uri }));
      expect(response.status).toBe(200);
    });

    it("GIVEN a body signed with another secret THEN answers 401 and writes nothing", async () => {
      const before = await counts();
      const response = await send(
        "action",
        uri,
        webhookRequest(topic, samplePayloads[topic], { uri, secret: "not-the-app-secret" }),
      );
      expect(response.status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it("GIVEN no HMAC header THEN answers 401 and writes nothing", async () => {
      const before = await counts();
      const request = webhookRequest(topic, samplePayloads[topic], { uri });
      request.headers.delete("X-Shopify-Hmac-Sha256");
      expect((await send("action", uri, request)).status).toBe(401);
      expect(await counts()).toEqual(before);
    });

    it("GIVEN a signed body that was tampered with THEN answers 401", async () => {
      const signed = webhookRequest(topic, samplePayloads[topic], { uri });
      const tampered = new Request(signed.url, {
        method: "POST",
        headers: signed.headers,
        body: JSON.stringify({ ...(samplePayloads[topic] as object), tampered: true }),
      });
      expect((await send("action", uri, tampered)).status).toBe(401);
    });
  });

  it("GIVEN a signed webhook of another topic THEN the route answers 400 and writes nothing", async () => {
    const before = await counts();
    const request = webhookRequest("customers/create", samplePayloads["customers/create"], {
      uri: "/webhooks/shop/redact",
    });
    expect((await send("action", "/webhooks/shop/redact", request)).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("GIVEN a signed body that is not JSON THEN answers 400", async () => {
    const request = webhookRequest("orders/paid", null, { rawBody: "{not json" });
    expect((await send("action", "/webhooks/orders/paid", request)).status).toBe(400);
  });

  it("GIVEN a customer payload without an id THEN answers 400 and creates no member", async () => {
    const before = await counts();
    const request = webhookRequest("customers/create", { email: "nobody@example.com" });
    const response = await send("action", "/webhooks/customers/create", request);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/id/);
    expect(await counts()).toEqual(before);
  });

  it("customers/create then customers/update mirror the customer as a member, email matched case-insensitively", async () => {
    await send(
      "action",
      "/webhooks/customers/create",
      webhookRequest("customers/create", samplePayloads["customers/create"]),
    );
    await send(
      "action",
      "/webhooks/customers/update",
      webhookRequest("customers/update", samplePayloads["customers/update"]),
    );
    const member = await db.customer.findFirstOrThrow({ where: { shopifyCustomerId: "7064055069303" } });
    expect(member).toMatchObject({ firstName: "Robert", email: "bob@example.com", emailNormalized: "bob@example.com" });
  });

  it("customers/create delivered twice leaves one member", async () => {
    for (let i = 0; i < 2; i++) {
      await send(
        "action",
        "/webhooks/customers/create",
        webhookRequest("customers/create", samplePayloads["customers/create"]),
      );
    }
    expect(await db.customer.count({ where: { shopifyCustomerId: "7064055069303" } })).toBe(1);
  });

  it("customers/create for a shop that never installed the app writes nothing", async () => {
    const request = webhookRequest("customers/create", samplePayloads["customers/create"], {
      shop: "stranger.myshopify.com",
    });
    expect((await send("action", "/webhooks/customers/create", request)).status).toBe(200);
    expect(await db.customer.count({ where: { shopifyCustomerId: "7064055069303" } })).toBe(0);
  });

  it("customers/redact erases that customer's personal data, keeps the member anonymous, and touches no other", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    await createMember(db, shop.id, { shopifyCustomerId: "5", email: "five@example.com" });
    await send(
      "action",
      "/webhooks/customers/redact",
      webhookRequest("customers/redact", samplePayloads["customers/redact"]),
    );
    const members = await db.customer.findMany({
      select: { shopifyCustomerId: true, email: true, emailNormalized: true, status: true },
      orderBy: { createdAt: "asc" },
    });
    expect(members).toHaveLength(2);
    expect(members).toContainEqual({ shopifyCustomerId: null, email: null, emailNormalized: null, status: "deleted" });
    expect(members).toContainEqual({
      shopifyCustomerId: "5",
      email: "five@example.com",
      emailNormalized: "five@example.com",
      status: "active",
    });
  });

  it("app/uninstalled removes the shop's sessions and marks it uninstalled, keeping its members", async () => {
    await send(
      "action",
      "/webhooks/app/uninstalled",
      webhookRequest("app/uninstalled", samplePayloads["app/uninstalled"]),
    );
    expect(await db.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await db.customer.count()).toBe(1);
  });

  it("app/scopes_update stores the granted scopes on the offline session", async () => {
    await send(
      "action",
      "/webhooks/app/scopes_update",
      webhookRequest("app/scopes_update", samplePayloads["app/scopes_update"]),
    );
    expect((await db.session.findFirstOrThrow({ where: { shop: TEST_SHOP } })).scope).toBe(
      "read_orders,write_customers",
    );
  });

  it("shop/redact deletes everything of the shop, its own delivery included", async () => {
    await send("action", "/webhooks/shop/redact", webhookRequest("shop/redact", samplePayloads["shop/redact"]));
    expect(await counts()).toEqual({ sessions: 0, shops: 0, customers: 0, deliveries: 0 });
  });
});
