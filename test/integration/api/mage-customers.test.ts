import { beforeAll, describe, expect, it } from "vitest";

import type { Database } from "~/db.server";
import { database } from "~/db.server";
import { customerCollection } from "~/modules/api/mage";
import { adjustPoints, setMemberStatus } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const ONE = "app/routes/api.v1.customers.$identifier.tsx";
const LIST = "app/routes/api.v1.customers.tsx";
let shopId: string;
let readKey: string;
let fullKey: string;

/** A key whose rate limit never gets in the way of a test's many requests. */
async function unlimitedKey(shop: string, scope: "full" | "read") {
  const secret = await createKey(db, shop, scope);
  return secret;
}

const getCustomer = (identifier: string, key: string | null = readKey) =>
  callRoute("loader", ONE, apiRequest("GET", `/api/v1/customers/${encodeURIComponent(identifier)}`, { key }), {
    identifier,
  });

const putCustomer = (
  identifier: string,
  body: unknown,
  options: { key?: string | null; rawBody?: string; headers?: Record<string, string> } = {},
) =>
  callRoute(
    "action",
    ONE,
    apiRequest("PUT", `/api/v1/customers/${encodeURIComponent(identifier)}`, {
      key: options.key === undefined ? fullKey : options.key,
      body,
      rawBody: options.rawBody,
      headers: options.headers,
    }),
    { identifier },
  );

const list = (query: string, key: string | null = readKey) =>
  callRoute("loader", LIST, apiRequest("GET", `/api/v1/customers${query ? `?${query}` : ""}`, { key }));

type Resource = { type: string; id: string; attributes: Record<string, unknown> };
type Collection = {
  data: Resource[];
  meta: { total: number; page: number; per_page: number; total_pages: number };
  links: Record<string, string | null>;
};

const errorOf = async (response: Response) =>
  ((await response.json()) as { errors: { status: string; title: string; detail: string }[] }).errors[0];

describe("GET /api/v1/customers/{identifier}", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    readKey = await unlimitedKey(shopId, "read");
    fullKey = await unlimitedKey(shopId, "full");
  });

  it("answers the member by Shopify id or email with a read-only key", async () => {
    const member = await createMember(db, shopId, { shopifyCustomerId: "777", email: "lin@example.com" });
    await adjustPoints(db, { shopId, identifier: "777", deltaCenti: 25_050n, actor: "test" });
    for (const identifier of ["777", "LIN@example.com"]) {
      const response = await getCustomer(identifier);
      expect(response.status).toBe(200);
      const { data } = (await response.json()) as { data: Resource };
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

  it.each(["a\u0000b@example.com", "\u0000", "x".repeat(400), "100%@example.com", "%E0%A4%A"])(
    "404, never a 500, for the identifier %j",
    async (identifier) => {
      const response = await getCustomer(identifier);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ status: "404", title: "Not Found" }] });
    },
  );

  it("finds a customer whose email holds a % (the path arrives decoded; it is not decoded twice)", async () => {
    await createMember(db, shopId, { shopifyCustomerId: "778", email: "50%off@example.com" });
    const response = await getCustomer("50%off@example.com");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: Resource }).data.id).toBe("778");
  });

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

describe("GET /api/v1/customers", () => {
  let listShop: string;
  let key: string;
  const emails = ["ann.smith@example.com", "BOB@Example.com", "carl_jones@example.com", "dora@other.org"];

  beforeAll(async () => {
    listShop = (await installShop(db, { shop: "list-shop.myshopify.com" })).id;
    key = await unlimitedKey(listShop, "read");
    // Created one after the other, so that created_at orders them.
    for (const [index, email] of emails.entries()) {
      await createMember(db, listShop, { email, shopifyCustomerId: String(91_000 + index) });
      await db.customer.update({
        where: { shopId_shopifyCustomerId: { shopId: listShop, shopifyCustomerId: String(91_000 + index) } },
        data: { createdAt: new Date(Date.UTC(2026, 0, 1 + index)) },
      });
    }
    await adjustPoints(db, { shopId: listShop, identifier: "91000", deltaCenti: pts(300), actor: "test" });
    await adjustPoints(db, { shopId: listShop, identifier: "91001", deltaCenti: pts(100), actor: "test" });
    await adjustPoints(db, { shopId: listShop, identifier: "91002", deltaCenti: pts(200), actor: "test" });
    await adjustPoints(db, {
      shopId: listShop,
      identifier: "91002",
      deltaCenti: pts(500),
      updateLifetime: false,
      actor: "test",
    });
    await adjustPoints(db, { shopId: listShop, identifier: "91000", deltaCenti: pts(-250), actor: "test" });
    await setMemberStatus(db, { shopId: listShop, identifier: "91001", status: "excluded", actor: "test" });
    await setMemberStatus(db, {
      shopId: listShop,
      identifier: "91003",
      status: "excluded_by_customer",
      actor: "test",
    });
    // Another shop's customer matches every filter but never shows.
    await createMember(db, shopId, { email: "ann.intruder@example.com" });
  });

  const get = async (query: string) => {
    const response = await list(query, key);
    expect(response.status).toBe(200);
    return (await response.json()) as Collection;
  };
  const ids = (page: Collection) => page.data.map((customer) => customer.id);

  it("pages the shop's customers newest first, with meta and links, as the one-customer resource", async () => {
    const first = await get("page[size]=3");
    expect(ids(first)).toEqual(["91003", "91002", "91001"]);
    expect(first.meta).toEqual({ total: 4, page: 1, per_page: 3, total_pages: 2 });
    expect(first.links.next).toBe("/api/v1/customers?page[size]=3&page[number]=2");
    const second = await get("page[size]=3&page[number]=2");
    expect(ids(second)).toEqual(["91000"]);
    expect(second.links.next).toBeNull();
    const one = (await (await getCustomer("91000", key)).json()) as { data: Resource };
    expect(second.data[0]).toEqual(one.data);
    expect(second.data[0]?.attributes).toMatchObject({ points: 50, lifetime_points: 300, redeemed_points: 0 });
  });

  it("filter[email] matches part of the address in any case, and only literally", async () => {
    expect(ids(await get("filter[email]=SMITH"))).toEqual(["91000"]);
    expect(ids(await get("filter[email]=bob@example"))).toEqual(["91001"]);
    expect(ids(await get("filter[email]=example.com"))).toEqual(["91002", "91001", "91000"]);
    // "_" and "%" are characters here, not wildcards.
    expect(ids(await get("filter[email]=_"))).toEqual(["91002"]);
    expect(ids(await get("filter[email]=%25"))).toEqual([]);
    expect((await get("filter[email]=intruder")).meta.total).toBe(0);
  });

  it("filter[loyalty_status]: member, or excluded by the merchant or by the customer", async () => {
    expect(ids(await get("filter[loyalty_status]=member"))).toEqual(["91002", "91000"]);
    const excluded = await get("filter[loyalty_status]=excluded");
    expect(ids(excluded)).toEqual(["91003", "91001"]);
    expect(excluded.data.map((customer) => customer.attributes.is_excluded)).toEqual([true, true]);
    expect(ids(await get("filter[loyalty_status]=excluded&filter[email]=bob"))).toEqual(["91001"]);
  });

  it("sorts by points, lifetime_points, redeemed_points and created_at, either way", async () => {
    expect(ids(await get("sort=-points"))).toEqual(["91002", "91001", "91000", "91003"]);
    expect(ids(await get("sort=lifetime_points,created_at"))).toEqual(["91003", "91001", "91002", "91000"]);
    expect(ids(await get("sort=created_at"))).toEqual(["91000", "91001", "91002", "91003"]);
    expect(ids(await get("sort=-redeemed_points,-created_at"))).toEqual(["91003", "91002", "91001", "91000"]);
  });

  it.each([
    ["sort=password", /^sort: cannot sort by "password"/],
    ["filter[loyalty_status]=vip", /^filter\[loyalty_status\]: must be one of member, excluded/],
    ["page[number]=0", /^page\[number\]/],
    ["page[size]=abc", /^page\[size\]/],
    [`filter[email]=${"x".repeat(321)}`, /^filter\[email\]: must be at most 320/],
  ])("400 naming the parameter for %s", async (query, detail) => {
    const response = await list(query, key);
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toMatch(detail);
  });

  it("401 without a key or with a revoked one", async () => {
    expect((await list("", null)).status).toBe(401);
    expect((await list("", "pw_not_a_key")).status).toBe(401);
  });

  it("shows tiers and soon-expiring points, with a fixed number of queries whatever the page size", async () => {
    const shop = (await installShop(db, { shop: "tiers-list.myshopify.com" })).id;
    const gold = await createTier(db, shop, { name: "Gold", threshold: pts(100) });
    const silver = await createTier(db, shop, { name: "Silver", threshold: pts(10) });
    for (let i = 0; i < 12; i++) {
      const member = await createMember(db, shop);
      await adjustPoints(db, {
        shopId: shop,
        identifier: member.shopifyCustomerId ?? "",
        deltaCenti: pts(i % 2 ? 150 : 20),
        actor: "test",
      });
    }
    const soon = new Date(Date.now() + 10 * 86_400_000);
    await db.lot.updateMany({ where: { shopId: shop }, data: { expiresAt: soon } });
    const counted = countingQueries(db);
    const small = await customerCollection(counted.db, shop, new URL("https://x/api/v1/customers?page[size]=2"));
    const smallQueries = counted.take();
    const large = await customerCollection(counted.db, shop, new URL("https://x/api/v1/customers?page[size]=12"));
    const largeQueries = counted.take();
    expect(small.data).toHaveLength(2);
    expect(large.data).toHaveLength(12);
    expect(largeQueries).toBe(smallQueries);
    expect(largeQueries).toBeLessThanOrEqual(4);
    const tiers = large.data.map((customer) => (customer.attributes.vip_tier as { name: string } | null)?.name);
    expect(new Set(tiers)).toEqual(new Set(["Gold", "Silver"]));
    expect(large.data.find((customer) => customer.attributes.vip_tier?.id === gold.id)?.attributes).toMatchObject({
      points: 150,
      expiring_points: 150,
    });
    expect(large.data.find((customer) => customer.attributes.vip_tier?.id === silver.id)?.attributes).toMatchObject({
      expiring_points: 20,
    });
    for (const customer of large.data) expect(customer.attributes.points_expire_at).toBe(soon.toISOString());
  });
});

/** The database, counting the model queries made through it (for N+1 checks). */
function countingQueries(real: Database) {
  let count = 0;
  const delegates = new Map<PropertyKey, unknown>();
  const wrapped = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== "string" || property.startsWith("$") || !value || typeof value !== "object") return value;
      if (!delegates.has(property)) {
        delegates.set(
          property,
          new Proxy(value, {
            get(delegate, method, delegateReceiver) {
              const fn = Reflect.get(delegate, method, delegateReceiver) as unknown;
              if (typeof fn !== "function") return fn;
              return (...args: unknown[]) => {
                count += 1;
                return (fn as (...a: unknown[]) => unknown).apply(delegate, args);
              };
            },
          }),
        );
      }
      return delegates.get(property);
    },
  });
  return {
    db: wrapped,
    take: () => {
      const seen = count;
      count = 0;
      return seen;
    },
  };
}

describe("PUT /api/v1/customers/{identifier}", () => {
  let putShop: string;

  beforeAll(async () => {
    putShop = (await installShop(db, { shop: "put-shop.myshopify.com" })).id;
    fullKey = await unlimitedKey(putShop, "full");
    readKey = await unlimitedKey(putShop, "read");
  });

  const member = async () => {
    const created = await createMember(db, putShop);
    return { ...created, identifier: created.shopifyCustomerId ?? "" };
  };
  const stored = (id: string) => db.customer.findUniqueOrThrow({ where: { id } });

  it("sets the dates from a flat body and answers the updated customer", async () => {
    const { id, identifier } = await member();
    const response = await putCustomer(identifier, { date_of_birth: "1990-04-12", anniversary_date: "2031-06-30" });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: Resource };
    expect(data).toMatchObject({ type: "customer", id: identifier });
    expect(data.attributes).toMatchObject({ date_of_birth: "1990-04-12", anniversary_date: "2031-06-30" });
    expect(await stored(id)).toMatchObject({ dateOfBirth: "1990-04-12", anniversaryDate: "2031-06-30" });
    const activity = await db.activityLog.findFirstOrThrow({ where: { memberId: id, type: "member_dates_changed" } });
    expect(activity.message).toBe("Birth date set to 1990-04-12; Anniversary date set to 2031-06-30");
    expect(await db.outboxEvent.count({ where: { memberId: id, topic: "member.sync" } })).toBe(1);
  });

  it("takes a JSON:API body; null clears a date; a field left out stays", async () => {
    const { id, identifier } = await member();
    await putCustomer(identifier, { date_of_birth: "1985-01-02", anniversary_date: "2010-05-05" });
    const response = await putCustomer(identifier, {
      data: { type: "customer", id: identifier, attributes: { anniversary_date: null } },
    });
    expect(response.status).toBe(200);
    expect(await stored(id)).toMatchObject({ dateOfBirth: "1985-01-02", anniversaryDate: null });
  });

  it("is_excluded excludes the customer and lets them back in, through the ledger's member status", async () => {
    const { id, identifier } = await member();
    const excluded = await putCustomer(identifier, { is_excluded: true });
    expect(((await excluded.json()) as { data: Resource }).data.attributes).toMatchObject({
      is_excluded: true,
      loyalty_status: "excluded",
    });
    expect((await stored(id)).status).toBe("excluded");
    expect(await db.activityLog.count({ where: { memberId: id, type: "member_status_changed" } })).toBe(1);
    await putCustomer(identifier, { is_excluded: true });
    expect(await db.activityLog.count({ where: { memberId: id, type: "member_status_changed" } })).toBe(1);
    const back = await putCustomer(identifier, { data: { attributes: { is_excluded: false } } });
    expect(((await back.json()) as { data: Resource }).data.attributes.loyalty_status).toBe("member");
    expect((await stored(id)).status).toBe("active");
  });

  it("422 when letting back in a customer who opted out themselves; true leaves their choice as it is", async () => {
    const { id, identifier } = await member();
    await setMemberStatus(db, { shopId: putShop, identifier, status: "excluded_by_customer", actor: "test" });
    const response = await putCustomer(identifier, { is_excluded: false, date_of_birth: "1999-09-09" });
    expect(response.status).toBe(422);
    expect((await errorOf(response))?.detail).toMatch(/^is_excluded: this customer opted out/);
    expect(await stored(id)).toMatchObject({ status: "excluded_by_customer", dateOfBirth: null });
    expect((await putCustomer(identifier, { is_excluded: true })).status).toBe(200);
    expect((await stored(id)).status).toBe("excluded_by_customer");
  });

  it("a client can PUT back what GET answered: read-only attributes are ignored", async () => {
    const { id, identifier } = await member();
    await adjustPoints(db, { shopId: putShop, identifier, deltaCenti: pts(40), actor: "test" });
    const got = (await (await getCustomer(identifier)).json()) as { data: Resource };
    const attributes = {
      ...got.data.attributes,
      points: 999_999,
      email: "changed@example.com",
      date_of_birth: "2000-02-29",
    };
    const response = await putCustomer(identifier, { data: { ...got.data, attributes } });
    expect(response.status).toBe(200);
    expect(await stored(id)).toMatchObject({
      availableCenti: pts(40),
      email: got.data.attributes.email,
      dateOfBirth: "2000-02-29",
    });
  });

  it.each([
    [{ date_of_birth: "1990-02-30" }, /^date_of_birth: 1990-02-30 is not a real date/],
    [{ date_of_birth: "2999-01-01" }, /^date_of_birth: must not be in the future/],
    [{ date_of_birth: "12/04/1990" }, /^date_of_birth: must be a date written YYYY-MM-DD/],
    [{ date_of_birth: 19900412 }, /^date_of_birth: must be a date written YYYY-MM-DD, or null/],
    [{ date_of_birth: "1850-01-01" }, /^date_of_birth: must be in 1900 or later/],
    [{ anniversary_date: "2031-13-01" }, /^anniversary_date: 2031-13-01 is not a real date/],
    [{ anniversary_date: "" }, /^anniversary_date: must be a date written YYYY-MM-DD/],
    [{ is_excluded: "true" }, /^is_excluded: must be true or false/],
    [{ is_excluded: 1 }, /^is_excluded: must be true or false/],
    [{ favourite_colour: "red" }, /^favourite_colour: not an attribute that can be written/],
    [{ toString: "x" }, /^toString: not an attribute that can be written/],
    [{ data: { type: "reward", attributes: {} } }, /^data\.type: must be "customer"/],
    [{ data: { type: "customer" } }, /^data\.attributes: is required/],
    [{ data: [] }, /^data: must be an object/],
  ])("400 naming the field for %j, and nothing changes", async (body, detail) => {
    const { id, identifier } = await member();
    const before = await stored(id);
    const response = await putCustomer(identifier, {
      ...("data" in body ? {} : { anniversary_date: "2020-01-01" }),
      ...body,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response))?.detail).toMatch(detail);
    expect(await stored(id)).toEqual(before);
  });

  it("400 for a body that is not JSON or not an object", async () => {
    const { identifier } = await member();
    for (const rawBody of ["{nope", "[]", '"x"']) {
      const response = await putCustomer(identifier, undefined, { rawBody });
      expect(response.status).toBe(400);
    }
  });

  it("404 for an unknown customer or another shop's; 403 with a read-only key; 401 without one", async () => {
    const other = await createMember(db, shopId);
    expect((await putCustomer(other.shopifyCustomerId ?? "", { date_of_birth: "1990-01-01" })).status).toBe(404);
    expect((await putCustomer("ghost@example.com", { date_of_birth: "1990-01-01" })).status).toBe(404);
    expect((await stored(other.id)).dateOfBirth).toBeNull();
    const { id, identifier } = await member();
    expect((await putCustomer(identifier, { date_of_birth: "1990-01-01" }, { key: readKey })).status).toBe(403);
    expect((await putCustomer(identifier, { date_of_birth: "1990-01-01" }, { key: null })).status).toBe(401);
    expect((await stored(id)).dateOfBirth).toBeNull();
  });

  it("an Idempotency-Key replays the answer", async () => {
    const { identifier } = await member();
    const headers = { "Idempotency-Key": `put-${identifier}` };
    const first = await putCustomer(identifier, { date_of_birth: "1970-07-07" }, { headers });
    const again = await putCustomer(identifier, { date_of_birth: "1970-07-07" }, { headers });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await ledgerProblems(db, putShop)).toEqual([]);
  });

  it("405 with Allow for other methods", async () => {
    const response = await callRoute("action", ONE, apiRequest("DELETE", "/api/v1/customers/1", { key: fullKey }), {
      identifier: "1",
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, PUT");
  });
});
