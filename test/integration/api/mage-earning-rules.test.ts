import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";

import { apiRequest } from "../../helpers/api";
import { createEarningRule, createKey, createMember, installShop } from "../../helpers/factories";
import { pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const LIST = "app/routes/api.v1.earning-rules.tsx";
const ONE = "app/routes/api.v1.earning-rules.$id.tsx";
const AWARD = "app/routes/api.v1.earning-rules.$id.award.tsx";
let shopId: string;
let key: string;
let readKey: string;

type Options = Parameters<typeof apiRequest>[2];
type Resource = { type: string; id: string; attributes: Record<string, unknown> };

const list = (query = "", options: Options = {}) =>
  callRoute("loader", LIST, apiRequest("GET", `/api/v1/earning-rules${query}`, { key, ...options }));
const create = (body: unknown, options: Options = {}) =>
  callRoute("action", LIST, apiRequest("POST", "/api/v1/earning-rules", { key, body, ...options }));
const one = (method: string, id: string, body?: unknown, options: Options = {}) =>
  callRoute(
    method === "GET" ? "loader" : "action",
    ONE,
    apiRequest(method, `/api/v1/earning-rules/${encodeURIComponent(id)}`, { key, body, ...options }),
    { id },
  );
const detailOf = async (response: Response) =>
  ((await response.json()) as { errors: { detail: string }[] }).errors[0]?.detail ?? "";
const social = (overrides: Record<string, unknown> = {}) => ({
  name: "Follow us on Instagram",
  action: "follow_on_instagram",
  category: "social",
  points_to_give: 100,
  ...overrides,
});

describe("/api/v1/earning-rules (Mage catalogue, issue 4)", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId, "full");
    readKey = await createKey(db, shopId, "read");
  });

  describe("POST", () => {
    it("GIVEN a JSON:API body WHEN created THEN 201 with every attribute, the row, and an activity line naming the key", async () => {
      const response = await create({
        data: {
          type: "earning_rule",
          attributes: social({
            description: "Follow @pointwise",
            customer_facing_label: "Follow us",
            call_to_action_url: "https://instagram.com/pointwise",
            approval_time: 3,
            points_to_give: 12.5,
          }),
        },
      });
      expect(response.status).toBe(201);
      const { data } = (await response.json()) as { data: Resource };
      expect(response.headers.get("Location")).toBe(`/api/v1/earning-rules/${data.id}`);
      expect(data.type).toBe("earning_rule");
      expect(data.attributes).toMatchObject({
        name: "Follow us on Instagram",
        description: "Follow @pointwise",
        action: "follow_on_instagram",
        category: "social",
        is_active: true,
        points_to_give: 12.5,
        customer_facing_label: "Follow us",
        call_to_action_url: "https://instagram.com/pointwise",
        approval_time: 3,
        points_per_currency_unit: null,
        rounding: null,
        include_shipping: null,
        include_tax: null,
        once_per_member: true,
      });
      const row = await db.earningRule.findUniqueOrThrow({ where: { id: data.id } });
      expect(row).toMatchObject({ shopId, pointsCenti: 1250n, approvalDays: 3 });
      const activity = await db.activityLog.findFirstOrThrow({ where: { shopId, type: "earning_rule_created" } });
      expect(activity.actor).toBe(`api:${key.slice(0, 12)}`);
      expect(activity.message).toBe('Earning rule "Follow us on Instagram" created');
      expect(JSON.parse(activity.data ?? "{}")).toMatchObject({ id: data.id });
    });

    it("GIVEN a flat purchase rule THEN it earns per currency unit with its rounding and inclusions", async () => {
      const response = await create({
        name: "Points per dollar",
        action: "place_order",
        category: "purchase",
        points_per_currency_unit: 5,
        rounding: "nearest",
        include_shipping: true,
      });
      expect(response.status).toBe(201);
      const { data } = (await response.json()) as { data: Resource };
      expect(data.attributes).toMatchObject({
        points_to_give: 0,
        points_per_currency_unit: 5,
        rounding: "nearest",
        include_shipping: true,
        include_tax: false,
      });
      expect(await db.earningRule.findUniqueOrThrow({ where: { id: data.id } })).toMatchObject({
        pointsPerUnitCenti: 500n,
        rounding: "nearest",
      });
    });

    it("GIVEN the same Idempotency-Key twice THEN one rule and the same answer", async () => {
      const headers = { "Idempotency-Key": `create-rule-${Date.now()}` };
      const before = await db.earningRule.count({ where: { shopId } });
      const first = await create(social({ name: "Idempotent" }), { headers });
      const second = await create(social({ name: "Idempotent" }), { headers });
      expect(second.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await second.json()).toEqual(await first.json());
      expect(await db.earningRule.count({ where: { shopId } })).toBe(before + 1);
    });

    it.each([
      ["no body", undefined, /name: is required.*category: is required.*action: is required/],
      ["points as a string", social({ points_to_give: "100" }), /points_to_give: must be a number, not a string/],
      ["negative points", social({ points_to_give: -1 }), /points_to_give: must be at least 0/],
      [
        "zero points on a social rule",
        social({ points_to_give: 0 }),
        /points_to_give: is required and must be above 0/,
      ],
      ["three decimals", social({ points_to_give: 1.005 }), /points_to_give: .*at most 2 decimals/],
      ["huge points", social({ points_to_give: 1e12 }), /points_to_give: .*at most 10000000 points/],
      [
        "an overflowing number",
        undefined,
        /points_to_give: must be a finite number/,
        '{"name":"x","action":"a","category":"social","points_to_give":1e400}',
      ],
      ["an unknown category", social({ category: "dance" }), /category: must be one of purchase, signup, birthday/],
      ["an action with spaces", social({ action: "Follow us" }), /action: must be lower-case letters/],
      [
        "a javascript: URL",
        social({ call_to_action_url: "javascript:alert(1)" }),
        /call_to_action_url: must be an http/,
      ],
      [
        "a too long URL",
        social({ call_to_action_url: `https://x.com/${"a".repeat(2048)}` }),
        /call_to_action_url: must be at most 2048/,
      ],
      ["a too long name", social({ name: "n".repeat(256) }), /name: must be at most 255 characters/],
      ["an empty name", social({ name: "  " }), /name: must not be empty/],
      [
        "approval time as a fraction",
        social({ approval_time: 1.5 }),
        /approval_time: must be a whole number from 0 to 365/,
      ],
      ["is_active as a string", social({ is_active: "true" }), /is_active: must be true or false/],
      [
        "unknown attributes",
        social({ colour: "red", points: 1 }),
        /unknown attributes "colour", "points"; the attributes are name/,
      ],
      ["a read-only attribute", social({ created_at: "2026-01-01T00:00:00Z" }), /created_at: read-only/],
      ["purchase fields on a social rule", social({ rounding: "up" }), /rounding: only purchase rules take it/],
      [
        "a purchase rule without a rate",
        { name: "P", action: "place_order", category: "purchase" },
        /points_per_currency_unit: is required for purchase rules/,
      ],
      [
        "a wrong JSON:API type",
        { data: { type: "reward", attributes: social() } },
        /data.type: must be "earning_rule"/,
      ],
      [
        "a client id",
        { data: { type: "earning_rule", id: "mine", attributes: social() } },
        /data.id: ids are chosen by the server/,
      ],
      ["a wrong flat type", { ...social(), type: "reward" }, /type: must be "earning_rule"/],
      ["data that is not an object", { data: [] }, /data: must be an object/],
      ["a JSON array", [], /must be a JSON object/],
      ["invalid JSON", undefined, /not valid JSON/, "{name:"],
    ])("400 for %s, naming it, and nothing written", async (_case, body, message, rawBody?: string) => {
      const [rules, activities] = await Promise.all([db.earningRule.count(), db.activityLog.count()]);
      const response = await create(body, rawBody === undefined ? {} : { rawBody });
      expect(response.status).toBe(400);
      expect(await detailOf(response)).toMatch(message);
      expect(await db.earningRule.count()).toBe(rules);
      expect(await db.activityLog.count()).toBe(activities);
    });

    it("401 without a key, 403 with a read-only key, nothing written", async () => {
      const before = await db.earningRule.count();
      expect((await create(social(), { key: null })).status).toBe(401);
      const refused = await create(social(), { key: readKey });
      expect(refused.status).toBe(403);
      expect(await detailOf(refused)).toBe("This API key is read-only");
      expect(await db.earningRule.count()).toBe(before);
    });

    it("405 with Allow for PATCH on the collection", async () => {
      const response = await callRoute("action", LIST, apiRequest("PATCH", "/api/v1/earning-rules", { key, body: {} }));
      expect(response.status).toBe(405);
      expect(response.headers.get("Allow")).toBe("GET, POST");
    });
  });

  describe("GET", () => {
    it("lists the shop's live rules, paged, filtered and sorted; never another shop's or a deleted one", async () => {
      const shop = await installShop(db, { shop: "rules-list.myshopify.com" });
      const listKey = await createKey(db, shop.id);
      const other = await installShop(db, { shop: "rules-other.myshopify.com" });
      await createEarningRule(db, other.id, { name: "Foreign" });
      const a = await createEarningRule(db, shop.id, { name: "A", pointsCenti: pts(300) });
      const b = await createEarningRule(db, shop.id, { name: "B", pointsCenti: pts(100), isActive: false });
      const c = await createEarningRule(db, shop.id, { name: "C", pointsCenti: pts(200), category: "engagement" });
      await createEarningRule(db, shop.id, { name: "Gone", deletedAt: new Date() });
      const get = async (query: string) => {
        const response = await list(query, { key: listKey });
        expect(response.status).toBe(200);
        return (await response.json()) as {
          data: Resource[];
          meta: Record<string, number>;
          links: Record<string, unknown>;
        };
      };
      const all = await get("");
      expect(all.data.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
      expect(all.meta).toEqual({ total: 3, page: 1, per_page: 20, total_pages: 1 });
      expect((await get("?sort=-points_to_give")).data.map((r) => r.attributes.name)).toEqual(["A", "C", "B"]);
      expect((await get("?sort=name")).data.map((r) => r.attributes.name)).toEqual(["A", "B", "C"]);
      expect((await get("?filter[is_active]=false")).data.map((r) => r.id)).toEqual([b.id]);
      expect((await get("?filter[category]=engagement")).data.map((r) => r.id)).toEqual([c.id]);
      const second = await get("?page[size]=2&page[number]=2");
      expect(second.data.map((r) => r.id)).toEqual([c.id]);
      expect(second.meta).toEqual({ total: 3, page: 2, per_page: 2, total_pages: 2 });
      expect((await list("", { key: readKey })).status).toBe(200);
    });

    it.each([
      ["?filter[is_active]=yes", /filter\[is_active\]: must be one of true, false/],
      ["?filter[category]=dance", /filter\[category\]: must be one of purchase/],
      ["?sort=points", /sort: cannot sort by "points"; use created_at, name, points_to_give/],
      ["?page[size]=0", /page\[size\]/],
    ])("400 for %s", async (query, message) => {
      const response = await list(query);
      expect(response.status).toBe(400);
      expect(await detailOf(response)).toMatch(message);
    });

    it("one rule by id; 404 for an unknown, foreign or deleted one; 401 without a key", async () => {
      const rule = await createEarningRule(db, shopId, { name: "One" });
      const response = await one("GET", rule.id, undefined, { key: readKey });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: Resource }).data).toMatchObject({
        id: rule.id,
        attributes: { name: "One", points_to_give: 100 },
      });
      const other = await installShop(db, { shop: "rules-foreign.myshopify.com" });
      const foreign = await createEarningRule(db, other.id);
      const deleted = await createEarningRule(db, shopId, { deletedAt: new Date() });
      for (const id of ["no-such-rule", foreign.id, deleted.id]) expect((await one("GET", id)).status).toBe(404);
      expect((await one("GET", rule.id, undefined, { key: null })).status).toBe(401);
    });
  });

  describe("PUT", () => {
    it("changes only the attributes given, and records who changed what", async () => {
      const rule = await createEarningRule(db, shopId, { name: "Partial", description: "keep me" });
      const response = await one("PUT", rule.id, {
        data: { type: "earning_rule", id: rule.id, attributes: { points_to_give: 250, is_active: false } },
      });
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: Resource };
      expect(data.attributes).toMatchObject({
        name: "Partial",
        description: "keep me",
        points_to_give: 250,
        is_active: false,
      });
      const activity = await db.activityLog.findFirstOrThrow({
        where: { shopId, type: "earning_rule_updated", data: { contains: rule.id } },
      });
      expect(activity.message).toBe('Earning rule "Partial" updated (is_active, points_to_give)');
      expect(activity.actor).toBe(`api:${key.slice(0, 12)}`);
    });

    it("moving a purchase rule to another category clears its purchase attributes; the other way needs a rate", async () => {
      const purchase = await createEarningRule(db, shopId, {
        category: "purchase",
        action: "place_order",
        pointsCenti: 0n,
        pointsPerUnitCenti: pts(2),
        rounding: "up",
      });
      const moved = await one("PUT", purchase.id, { category: "engagement", points_to_give: 10 });
      expect(moved.status).toBe(200);
      expect(((await moved.json()) as { data: Resource }).data.attributes).toMatchObject({
        category: "engagement",
        points_to_give: 10,
        points_per_currency_unit: null,
        rounding: null,
      });
      expect(await db.earningRule.findUniqueOrThrow({ where: { id: purchase.id } })).toMatchObject({
        pointsPerUnitCenti: null,
        rounding: "down",
      });
      const back = await one("PUT", purchase.id, { category: "purchase" });
      expect(back.status).toBe(400);
      expect(await detailOf(back)).toMatch(/points_per_currency_unit: is required for purchase rules/);
    });

    it.each([
      ["an empty body", {}, /give at least one attribute/],
      [
        "another id in data",
        { data: { type: "earning_rule", id: "other", attributes: { name: "x" } } },
        /data.id: must be the id in the path/,
      ],
      ["a number as a string", { approval_time: "3" }, /approval_time: must be a number/],
      ["a NaN-like value", { points_to_give: null }, /points_to_give: must be a number, not null/],
    ])("400 for %s, and the rule unchanged", async (_case, body, message) => {
      const rule = await createEarningRule(db, shopId, { name: "Unchanged" });
      const response = await one("PUT", rule.id, body);
      expect(response.status).toBe(400);
      expect(await detailOf(response)).toMatch(message);
      expect(await db.earningRule.findUniqueOrThrow({ where: { id: rule.id } })).toEqual(rule);
    });

    it("404 for an unknown, foreign or deleted rule; 403 with a read-only key", async () => {
      const other = await installShop(db, { shop: "rules-put.myshopify.com" });
      const foreign = await createEarningRule(db, other.id);
      const deleted = await createEarningRule(db, shopId, { deletedAt: new Date() });
      for (const id of ["nope", foreign.id, deleted.id]) expect((await one("PUT", id, { name: "x" })).status).toBe(404);
      expect((await db.earningRule.findUniqueOrThrow({ where: { id: foreign.id } })).name).not.toBe("x");
      const rule = await createEarningRule(db, shopId);
      expect((await one("PUT", rule.id, { name: "x" }, { key: readKey })).status).toBe(403);
    });
  });

  describe("DELETE", () => {
    it("soft-deletes: 204, then 404 everywhere and award answers 404, while earned points keep naming the rule", async () => {
      const rule = await createEarningRule(db, shopId, { name: "Doomed" });
      const member = await createMember(db, shopId);
      const award = (id: string) =>
        callRoute(
          "action",
          AWARD,
          apiRequest("POST", `/api/v1/earning-rules/${id}/award`, { key, body: { customer_identifier: member.email } }),
          { id },
        );
      expect((await award(rule.id)).status).toBe(201);
      const response = await one("DELETE", rule.id);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
      expect((await one("GET", rule.id)).status).toBe(404);
      expect((await one("DELETE", rule.id)).status).toBe(404);
      const listed = (await (await list("?page[size]=100")).json()) as { data: Resource[] };
      expect(listed.data.map((r) => r.id)).not.toContain(rule.id);
      const other = await createMember(db, shopId);
      const refused = await callRoute(
        "action",
        AWARD,
        apiRequest("POST", `/api/v1/earning-rules/${rule.id}/award`, {
          key,
          body: { customer_identifier: other.email },
        }),
        { id: rule.id },
      );
      expect(refused.status).toBe(404);
      expect((await db.earningRule.findUniqueOrThrow({ where: { id: rule.id } })).deletedAt).not.toBeNull();
      expect(await db.lot.count({ where: { ruleId: rule.id } })).toBe(1);
      const activity = await db.activityLog.findFirstOrThrow({
        where: { shopId, type: "earning_rule_deleted", data: { contains: rule.id } },
      });
      expect(activity.message).toBe('Earning rule "Doomed" deleted');
    });

    it("404 for another shop's rule (untouched); 403 with a read-only key; 401 without one", async () => {
      const other = await installShop(db, { shop: "rules-delete.myshopify.com" });
      const foreign = await createEarningRule(db, other.id);
      expect((await one("DELETE", foreign.id)).status).toBe(404);
      expect((await db.earningRule.findUniqueOrThrow({ where: { id: foreign.id } })).deletedAt).toBeNull();
      const rule = await createEarningRule(db, shopId);
      expect((await one("DELETE", rule.id, undefined, { key: readKey })).status).toBe(403);
      expect((await one("DELETE", rule.id, undefined, { key: null })).status).toBe(401);
      expect((await db.earningRule.findUniqueOrThrow({ where: { id: rule.id } })).deletedAt).toBeNull();
    });
  });
});
