import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, installShop } from "../../helpers/factories";
import { callRoute } from "../../helpers/routes";

const db = database();
let shopId: string;
let readKey: string;

const getCustomer = (identifier: string, key: string | null = readKey) =>
  callRoute(
    "loader",
    "app/routes/api.v1.customers.$identifier.tsx",
    apiRequest("GET", `/api/v1/customers/${encodeURIComponent(identifier)}`, { key }),
    {
      identifier,
    },
  );

describe("GET /api/v1/customers/{identifier}", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    readKey = await createKey(db, shopId, "read");
  });

  it("answers the member by Shopify id or email with a read-only key", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: "777", email: "lin@example.com" });
    await adjustPoints(db, { shopId, identifier: "777", deltaCenti: 25_050n, actor: "test" });
    for (const identifier of ["777", "LIN@example.com"]) {
      const response = await getCustomer(identifier);
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as {
        data: { type: string; id: string; attributes: Record<string, unknown> };
      };
      expect(data).toMatchObject({ type: "customer", id: "777" });
      expect(data.attributes).toMatchObject({
        points: 250.5,
        lifetime_points: 250.5,
        redeemed_points: 0,
        loyalty_status: "member",
        email: member.email,
      });
    }
  });

  it("404 in JSON:API format for an unknown customer; 401 without a key", async () => {
    const response = await getCustomer("nobody@example.com");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ status: "404", title: "Not Found" }] });
    expect((await getCustomer("777", null)).status).toBe(401);
  });

  it.each(["a\u0000b@example.com", "\u0000", "x".repeat(400)])(
    "404, never a 500, for the identifier %j",
    async (identifier) => {
      const response = await getCustomer(identifier);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ status: "404", title: "Not Found" }] });
    },
  );

  it("an unknown path under /api answers a JSON 404 in that tree's format", async () => {
    const mage = await callRoute("loader", "app/routes/api.v1.$.tsx", apiRequest("GET", "/api/v1/nope"));
    expect(mage.status).toBe(404);
    expect(await mage.json()).toMatchObject({ errors: [{ status: "404" }] });
    const appstle = await callRoute(
      "action",
      "app/routes/api.external.$.tsx",
      apiRequest("POST", "/api/external/nope"),
    );
    expect(await appstle.json()).toMatchObject({ status: 404, error: "Not Found", path: "/api/external/nope" });
  });
});
