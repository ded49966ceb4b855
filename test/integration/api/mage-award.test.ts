import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createEarningRule, createKey, createMember, createTier, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const AWARD = "app/routes/api.v1.earning-rules.$id.award.tsx";
let shopId: string;
let fullKey: string;
let readKey: string;

const award = (ruleId: string, body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute(
    "action",
    AWARD,
    apiRequest("POST", `/api/v1/earning-rules/${ruleId}/award`, { key: fullKey, body, ...options }),
    {
      id: ruleId,
    },
  );

const jsonApiError = async (response: Response) => {
  expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
  const body = (await response.json()) as { errors: { status: string; title: string; detail: string }[] };
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]?.status).toBe(String(response.status));
  return body.errors[0];
};

describe("POST /api/v1/earning-rules/{id}/award (seeds 000/001)", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    fullKey = await createKey(db, shopId, "full");
    readKey = await createKey(db, shopId, "read");
  });

  let ruleId: string;
  beforeEach(async () => {
    ruleId = (await createEarningRule(db, shopId, { pointsCenti: pts(100) })).id;
  });

  it("201: awards base × VIP multiplier and answers the seed's earning_history_entry", async () => {
    const gold = await createTier(db, shopId, {
      name: "Gold (award)",
      threshold: pts(1_000_000),
      multiplierBp: 15_000,
    });
    const member = await createMember(db, shopId, { shopifyCustomerId: "6789012345" });
    await db.customer.update({ where: { id: member.id }, data: { vipTierId: gold.id } });
    const response = await award(ruleId, { customer_identifier: "6789012345" });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as {
      data: { type: string; id: string; attributes: Record<string, unknown> };
    };
    expect(data.type).toBe("earning_history_entry");
    expect(data.attributes).toMatchObject({
      earning_rule_id: ruleId,
      action: "follow_on_instagram",
      points: 150,
      base_points: 100,
      points_multiplier: 1.5,
      status: "approved",
      points_due_at: null,
      points_expiry_at: null,
    });
    for (const field of ["points_given_at", "created_at", "updated_at"]) {
      expect(String(data.attributes[field])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("201 pending: with an approval time, status pending, no points_given_at, a points_due_at", async () => {
    const pending = await createEarningRule(db, shopId, { approvalDays: 7 });
    const member = await createMember(db, shopId);
    const response = await award(pending.id, { customer_identifier: member.email });
    const { data } = (await response.json()) as { data: { attributes: Record<string, unknown> } };
    expect(data.attributes).toMatchObject({ status: "pending", points_given_at: null });
    expect(data.attributes.points_due_at).not.toBeNull();
  });

  it("accepts the key as Authorization, Bearer and X-API-Key, and the identifier as an email in any case", async () => {
    for (const header of ["authorization", "bearer", "x-api-key"] as const) {
      const member = await createMember(db, shopId);
      const response = await award(ruleId, { customer_identifier: member.email?.toUpperCase() }, { header });
      expect(response.status).toBe(201);
    }
  });

  it("409 when the customer already has the rule; 403 when excluded; 404 for an unknown customer or rule; 422 for a purchase rule", async () => {
    const member = await createMember(db, shopId);
    const body = { customer_identifier: member.email };
    expect((await award(ruleId, body)).status).toBe(201);
    const duplicate = await award(ruleId, body);
    expect(duplicate.status).toBe(409);
    expect((await jsonApiError(duplicate))?.detail).toBe(
      "Customer has already been awarded points for this earning rule",
    );
    expect((await award(ruleId, { customer_identifier: "nobody@example.com" })).status).toBe(404);
    expect((await award("no-such-rule", body)).status).toBe(404);
    expect((await award("rule\u0000", body)).status).toBe(404);
    const purchase = await createEarningRule(db, shopId, { category: "purchase", action: "place_order" });
    expect((await award(purchase.id, body)).status).toBe(422);
    const inactive = await createEarningRule(db, shopId, { isActive: false });
    expect((await award(inactive.id, body)).status).toBe(404);
    const excluded = await createMember(db, shopId);
    await setMemberStatus(db, { shopId, identifier: excluded.email ?? "", status: "excluded", actor: "test" });
    const refused = await award(ruleId, { customer_identifier: excluded.email });
    expect(refused.status).toBe(403);
    expect((await jsonApiError(refused))?.detail).toBe("Customer is excluded from the loyalty program");
  });

  it.each([
    ["no body", undefined, undefined],
    ["invalid JSON", undefined, "{customer_identifier:"],
    ["a JSON array", [], undefined],
    ["a missing identifier", {}, undefined],
    ["an empty identifier", { customer_identifier: "  " }, undefined],
    ["an identifier of the wrong type", { customer_identifier: { id: 1 } }, undefined],
    ["an identifier with a NUL character", { customer_identifier: "a\u0000@example.com" }, undefined],
    ["a NUL character in a key", { customer_identifier: "a@example.com", "x\u0000": 1 }, undefined],
  ])("400 for %s, in JSON:API format, and nothing written", async (_case, body, rawBody) => {
    const entries = await db.ledgerEntry.count();
    const response = await award(ruleId, body, rawBody === undefined ? {} : { rawBody });
    expect(response.status).toBe(400);
    expect((await jsonApiError(response))?.title).toBe("Bad Request");
    expect(await db.ledgerEntry.count()).toBe(entries);
  });

  it("401 without a key or with an unknown one; 403 with a read-only key; nothing written", async () => {
    const member = await createMember(db, shopId);
    const body = { customer_identifier: member.email };
    expect((await award(ruleId, body, { key: null })).status).toBe(401);
    expect((await award(ruleId, body, { key: "pw_notarealkeyatallnotarealkeyatall0000000" })).status).toBe(401);
    const readOnly = await award(ruleId, body, { key: readKey });
    expect(readOnly.status).toBe(403);
    expect((await jsonApiError(readOnly))?.detail).toBe("This API key is read-only");
    expect(await db.lot.count({ where: { memberId: member.id } })).toBe(0);
  });

  it("a key never reaches another shop's rules or customers: 404", async () => {
    const other = await installShop(db, { shop: "elsewhere.myshopify.com" });
    const foreignRule = await createEarningRule(db, other.id);
    const foreignMember = await createMember(db, other.id);
    expect((await award(foreignRule.id, { customer_identifier: foreignMember.email })).status).toBe(404);
    expect((await award(ruleId, { customer_identifier: foreignMember.email })).status).toBe(404);
  });

  it("405 for another method, with Allow", async () => {
    const response = await callRoute(
      "loader",
      AWARD,
      apiRequest("GET", `/api/v1/earning-rules/${ruleId}/award`, { key: fullKey }),
      {
        id: ruleId,
      },
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
    await jsonApiError(response);
  });

  it("413 for a body over 1 MB", async () => {
    const response = await award(ruleId, { customer_identifier: "x".repeat(1_100_000) });
    expect(response.status).toBe(413);
  });
});
