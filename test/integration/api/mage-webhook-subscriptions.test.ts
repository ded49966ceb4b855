import { createHmac } from "node:crypto";

import { afterEach, describe, expect, it, vi } from "vitest";

import { database } from "~/db.server";
import { SecretDecryptionError } from "~/lib/crypto.server";
import {
  MAX_SUBSCRIPTIONS_PER_SHOP,
  signingSecretFor,
  signWebhook,
  WEBHOOK_EVENTS,
} from "~/modules/webhook-subscriptions";

import { apiRequest } from "../../helpers/api";
import { createKey, installShop } from "../../helpers/factories";
import { callRoute } from "../../helpers/routes";

const db = database();
const LIST = "app/routes/api.v1.webhook-subscriptions.tsx";
const ONE = "app/routes/api.v1.webhook-subscriptions.$id.tsx";
const ROTATE = "app/routes/api.v1.webhook-subscriptions.$id.rotate-secret.tsx";
const BASE = "/api/v1/webhook-subscriptions";

type Options = Parameters<typeof apiRequest>[2];
interface Resource {
  type: string;
  id: string;
  attributes: {
    url: string;
    events: string[];
    description: string | null;
    is_active: boolean;
    secret_hint: string;
    created_at: string;
    updated_at: string;
    secret?: string;
  };
}

let shops = 0;
/** GIVEN a shop of its own with a full-access and a read-only key. */
async function givenShop() {
  shops += 1;
  const shop = await installShop(db, { shop: `webhooks-${shops}-${Date.now()}.myshopify.com` });
  return {
    shopId: shop.id,
    fullKey: await createKey(db, shop.id, "full"),
    readKey: await createKey(db, shop.id, "read"),
  };
}

const list = (query: string, options: Options) =>
  callRoute("loader", LIST, apiRequest("GET", `${BASE}${query}`, options));
const create = (body: unknown, options: Options) =>
  callRoute("action", LIST, apiRequest("POST", BASE, { body, ...options }));
const getOne = (id: string, options: Options) =>
  callRoute("loader", ONE, apiRequest("GET", `${BASE}/${encodeURIComponent(id)}`, options), { id });
const update = (id: string, body: unknown, options: Options) =>
  callRoute("action", ONE, apiRequest("PUT", `${BASE}/${encodeURIComponent(id)}`, { body, ...options }), { id });
const remove = (id: string, options: Options) =>
  callRoute("action", ONE, apiRequest("DELETE", `${BASE}/${encodeURIComponent(id)}`, options), { id });
const rotate = (id: string, options: Options) =>
  callRoute("action", ROTATE, apiRequest("POST", `${BASE}/${encodeURIComponent(id)}/rotate-secret`, options), { id });

const resourceOf = async (response: Response) => ((await response.json()) as { data: Resource }).data;

const errorOf = async (response: Response) => {
  const body = (await response.json()) as { errors: { status: string; title: string; detail: string }[] };
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]?.status).toBe(String(response.status));
  return body.errors[0]!;
};

/** GIVEN a subscription made through the API; its resource (with the secret). */
async function givenSubscription(key: string, body: Record<string, unknown> = {}) {
  const response = await create(
    { url: `https://hooks.example.com/${Math.random().toString(36).slice(2)}`, events: ["points.earned"], ...body },
    { key },
  );
  expect(response.status).toBe(201);
  return resourceOf(response);
}

/** What the shop has stored: subscriptions and activity lines, to check that a refusal wrote nothing. */
const snapshot = async (shopId: string) => ({
  subscriptions: await db.webhookSubscription.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
  activities: await db.activityLog.count({ where: { shopId } }),
});

const SECRET = /^whsec_[A-Za-z0-9_-]{43}$/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /api/v1/webhook-subscriptions", () => {
  it("201: creates the subscription and shows its signing secret this once", async () => {
    const { shopId, fullKey } = await givenShop();
    const response = await create(
      {
        url: "https://crm.example.com/hooks/pointwise",
        events: ["points.earned", "points.expired"],
        description: "CRM",
      },
      { key: fullKey },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const data = await resourceOf(response);
    expect(data).toMatchObject({
      type: "webhook_subscription",
      attributes: {
        url: "https://crm.example.com/hooks/pointwise",
        events: ["points.earned", "points.expired"],
        description: "CRM",
        is_active: true,
      },
    });
    const secret = data.attributes.secret!;
    expect(secret).toMatch(SECRET);
    expect(data.attributes.secret_hint).toBe(`whsec_…${secret.slice(-4)}`);
    expect(Date.parse(data.attributes.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const stored = await db.webhookSubscription.findUniqueOrThrow({ where: { id: data.id } });
    expect(stored.shopId).toBe(shopId);
    expect(stored.secretEncrypted).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
    expect(await signingSecretFor(db, shopId, data.id)).toBe(secret);
  });

  it("accepts a JSON:API body and one created paused; an empty description is stored as none", async () => {
    const { fullKey } = await givenShop();
    const response = await create(
      {
        data: {
          type: "webhook_subscription",
          attributes: {
            url: "https://a.example.com/x",
            events: [...WEBHOOK_EVENTS],
            is_active: false,
            description: "",
          },
        },
      },
      { key: fullKey },
    );
    expect(response.status).toBe(201);
    expect((await resourceOf(response)).attributes).toMatchObject({
      events: [...WEBHOOK_EVENTS],
      is_active: false,
      description: null,
    });
  });

  it("stores the URL in its normal form: http is accepted for localhost outside production", async () => {
    const { fullKey } = await givenShop();
    for (const [sent, stored] of [
      ["HTTPS://Hooks.Example.COM:443/a/../b?x=1", "https://hooks.example.com/b?x=1"],
      ["http://localhost:4000/hooks", "http://localhost:4000/hooks"],
      ["http://127.0.0.1:8080", "http://127.0.0.1:8080/"],
      ["https://bücher.example/hook", "https://xn--bcher-kva.example/hook"],
    ]) {
      const response = await create({ url: sent, events: ["points.redeemed"] }, { key: fullKey });
      expect(response.status, sent).toBe(201);
      expect((await resourceOf(response)).attributes.url).toBe(stored);
    }
  });

  const known = WEBHOOK_EVENTS.join(", ");
  it.each([
    ["no url", { events: ["points.earned"] }, "url: is required"],
    ["a numeric url", { url: 42, events: ["points.earned"] }, "url: must be a string"],
    ["an empty url", { url: " ", events: ["points.earned"] }, "url: must not be empty"],
    ["a relative url", { url: "/hooks", events: ["points.earned"] }, "url: must be an absolute URL"],
    ["an ftp url", { url: "ftp://example.com/x", events: ["points.earned"] }, "url: must use https, not ftp"],
    ["a javascript: url", { url: "javascript:alert(1)", events: ["points.earned"] }, "url: must use https"],
    ["http to a public host", { url: "http://example.com/x", events: ["points.earned"] }, "url: must use https"],
    [
      "a url with credentials",
      { url: "https://user:pw@example.com/x", events: ["points.earned"] },
      "url: must not contain a user name or password",
    ],
    [
      "a url of 2049 characters",
      { url: `https://example.com/${"a".repeat(2029)}`, events: ["points.earned"] },
      "url: must be at most 2048 characters",
    ],
    [
      "a url over 2048 characters once percent-encoded",
      { url: `https://example.com/${"é".repeat(400)}`, events: ["points.earned"] },
      "url: must be at most 2048 characters once normalised",
    ],
    ["no events", { url: "https://example.com/x" }, `events: is required; known events: ${known}`],
    ["empty events", { url: "https://example.com/x", events: [] }, `events: must be a non-empty array`],
    [
      "events as a string",
      { url: "https://example.com/x", events: "points.earned" },
      "events: must be a non-empty array",
    ],
    [
      "an unknown event",
      { url: "https://example.com/x", events: ["points.earned", "order.paid"] },
      `events: "order.paid" is not a known event; known events: ${known}`,
    ],
    ["a numeric event", { url: "https://example.com/x", events: [1] }, "events: item 0 must be an event name"],
    [
      "a duplicate event",
      { url: "https://example.com/x", events: ["points.earned", "points.earned"] },
      'events: "points.earned" is listed twice',
    ],
    [
      "a long description",
      { url: "https://example.com/x", events: ["points.earned"], description: "d".repeat(501) },
      "description: must be at most 500 characters",
    ],
    [
      "a numeric description",
      { url: "https://example.com/x", events: ["points.earned"], description: 5 },
      "description: must be a string or null",
    ],
    [
      "is_active as a string",
      { url: "https://example.com/x", events: ["points.earned"], is_active: "true" },
      "is_active: must be true or false",
    ],
    [
      "is_active as a number",
      { url: "https://example.com/x", events: ["points.earned"], is_active: 1 },
      "is_active: must be true or false",
    ],
    [
      "a secret chosen by the client",
      { url: "https://example.com/x", events: ["points.earned"], secret: "mine" },
      "secret: is not a known attribute; use url, events, description, is_active",
    ],
    [
      "an unknown attribute",
      { url: "https://example.com/x", events: ["points.earned"], colour: "red" },
      "colour: is not a known attribute",
    ],
    [
      "a JSON:API body of another type",
      { data: { type: "customer", attributes: { url: "https://example.com/x", events: ["points.earned"] } } },
      'data.type: must be "webhook_subscription"',
    ],
    [
      "a JSON:API body with an id",
      { data: { id: "x", attributes: { url: "https://example.com/x", events: ["points.earned"] } } },
      "data.id: ids are chosen by the server",
    ],
    [
      "a JSON:API body with attributes not an object",
      { data: { attributes: [] } },
      "data.attributes: must be an object",
    ],
    ["a JSON:API data that is not an object", { data: "x" }, "data: must be an object"],
    ["something beside data", { data: { attributes: {} }, links: {} }, 'body: unknown member "links" beside data'],
    ["an empty body", {}, "url: is required"],
  ])("400 for %s, naming the field; nothing is written", async (_case, body, detail) => {
    const { shopId, fullKey } = await givenShop();
    const before = await snapshot(shopId);
    const response = await create(body, { key: fullKey });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).detail).toContain(detail);
    expect(await snapshot(shopId)).toEqual(before);
  });

  it("400 names every problem at once", async () => {
    const { fullKey } = await givenShop();
    const { detail } = await errorOf(await create({ url: "ftp://x", events: [], is_active: "no" }, { key: fullKey }));
    expect(detail).toMatch(/^url: .*; events: .*; is_active: must be true or false$/);
  });

  it.each([
    ["invalid JSON", "{url:", "The request body is not valid JSON"],
    ["an array", "[]", "The request body must be a JSON object"],
    ["null", "null", "The request body must be a JSON object"],
    ["empty", "", "url: is required"],
    [
      "a NUL character",
      JSON.stringify({ url: "https://example.com/\u0000", events: ["points.earned"] }),
      "url: must not contain NUL",
    ],
  ])("400 for a body that is %s", async (_case, rawBody, detail) => {
    const { shopId, fullKey } = await givenShop();
    const response = await callRoute("action", LIST, apiRequest("POST", BASE, { key: fullKey, rawBody }));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).detail).toContain(detail);
    expect(await db.webhookSubscription.count({ where: { shopId } })).toBe(0);
  });

  it("409 for a URL the shop already subscribed (in any spelling); another shop may subscribe it", async () => {
    const first = await givenShop();
    await givenSubscription(first.fullKey, { url: "https://dup.example.com/hook" });
    const before = await snapshot(first.shopId);
    const response = await create(
      { url: "HTTPS://DUP.example.com:443/hook", events: ["points.redeemed"] },
      { key: first.fullKey },
    );
    expect(response.status).toBe(409);
    expect((await errorOf(response)).detail).toBe(
      "url: this shop already has a webhook subscription for https://dup.example.com/hook",
    );
    expect(await snapshot(first.shopId)).toEqual(before);
    const other = await givenShop();
    expect(
      (await create({ url: "https://dup.example.com/hook", events: ["points.earned"] }, { key: other.fullKey })).status,
    ).toBe(201);
  });

  it("of two concurrent creates of one URL, exactly one succeeds and the other is a 409", async () => {
    const { shopId, fullKey } = await givenShop();
    const body = { url: "https://race.example.com/hook", events: ["points.earned"] };
    const statuses = (await Promise.all([create(body, { key: fullKey }), create(body, { key: fullKey })])).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual([201, 409]);
    expect(await db.webhookSubscription.count({ where: { shopId } })).toBe(1);
  });

  it(`422 beyond ${MAX_SUBSCRIPTIONS_PER_SHOP} subscriptions per shop, even when they race; a deletion makes room`, async () => {
    const { shopId, fullKey } = await givenShop();
    for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_SHOP - 2; index += 1) {
      await givenSubscription(fullKey, { url: `https://limit.example.com/${index}` });
    }
    const racing = await Promise.all(
      [0, 1, 2, 3].map((index) =>
        create({ url: `https://limit.example.com/race-${index}`, events: ["points.earned"] }, { key: fullKey }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    expect(await db.webhookSubscription.count({ where: { shopId } })).toBe(MAX_SUBSCRIPTIONS_PER_SHOP);
    const refused = await create(
      { url: "https://limit.example.com/one-more", events: ["points.earned"] },
      { key: fullKey },
    );
    expect(refused.status).toBe(422);
    expect(await errorOf(refused)).toMatchObject({
      title: "Subscription Limit Reached",
      detail: "A shop can have at most 25 webhook subscriptions; delete one first",
    });
    const [oldest] = await db.webhookSubscription.findMany({ where: { shopId }, take: 1 });
    expect((await remove(oldest!.id, { key: fullKey })).status).toBe(204);
    expect(
      (await create({ url: "https://limit.example.com/one-more", events: ["points.earned"] }, { key: fullKey })).status,
    ).toBe(201);
  });

  it("an Idempotency-Key makes a retried create act once", async () => {
    const { shopId, fullKey } = await givenShop();
    const body = { url: "https://retry.example.com/hook", events: ["points.earned"] };
    const headers = { "Idempotency-Key": "create-hook-1" };
    const first = await create(body, { key: fullKey, headers });
    const again = await create(body, { key: fullKey, headers });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    const [firstResource, againResource] = [await resourceOf(first), await resourceOf(again)];
    expect(againResource.id).toBe(firstResource.id);
    expect(await db.webhookSubscription.count({ where: { shopId } })).toBe(1);
    // The retry gets the secret it may have missed, but it is never kept in plain text.
    const secret = (firstResource.attributes as { secret: string }).secret;
    expect((againResource.attributes as { secret: string }).secret).toBe(secret);
    expect(again.headers.get("Cache-Control")).toBe("no-store");
    const stored = await db.apiIdempotentRequest.findFirstOrThrow({ where: { shopId, key: "create-hook-1" } });
    expect(stored.body).toMatch(/^encrypted:v1:/);
    expect(stored.body).not.toContain(secret);
  });
});

describe("GET /api/v1/webhook-subscriptions", () => {
  it("pages the shop's subscriptions by created_at, never showing a secret", async () => {
    const { shopId, fullKey, readKey } = await givenShop();
    const made: Resource[] = [];
    for (const index of [0, 1, 2]) {
      made.push(await givenSubscription(fullKey, { url: `https://list.example.com/${index}` }));
      await db.webhookSubscription.update({
        where: { id: made[index]!.id },
        data: { createdAt: new Date(Date.UTC(2026, 0, 1 + index)) },
      });
    }
    const other = await givenShop();
    await givenSubscription(other.fullKey);

    const response = await list("?page[size]=2", { key: readKey });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: Resource[];
      meta: Record<string, number>;
      links: Record<string, string | null>;
    };
    expect(body.meta).toEqual({ total: 3, page: 1, per_page: 2, total_pages: 2 });
    expect(body.data.map((d) => d.attributes.url)).toEqual([
      "https://list.example.com/0",
      "https://list.example.com/1",
    ]);
    expect(body.links.next).toBe("/api/v1/webhook-subscriptions?page[size]=2&page[number]=2");
    expect(JSON.stringify(body)).not.toMatch(/"secret"|whsec_[A-Za-z0-9_-]{10}/);

    const descending = (await (await list("?sort=-created_at", { key: readKey })).json()) as { data: Resource[] };
    expect(descending.data.map((d) => d.id)).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(await db.webhookSubscription.count({ where: { shopId } })).toBe(3);
  });

  it("filters by is_active", async () => {
    const { fullKey, readKey } = await givenShop();
    const paused = await givenSubscription(fullKey, { is_active: false });
    await givenSubscription(fullKey);
    const body = (await (await list("?filter[is_active]=false", { key: readKey })).json()) as { data: Resource[] };
    expect(body.data.map((d) => d.id)).toEqual([paused.id]);
  });

  it.each([
    ["?page[number]=0", "page[number]: must be a whole number of at least 1"],
    ["?page[size]=x", "page[size]: must be a whole number from 1 to 100"],
    ["?sort=url", 'sort: cannot sort by "url"; use created_at'],
    ["?filter[is_active]=yes", "filter[is_active]: must be one of true, false"],
  ])("400 for %s", async (query, detail) => {
    const { readKey } = await givenShop();
    const response = await list(query, { key: readKey });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).detail).toBe(detail);
  });

  it("401 without a key", async () => {
    expect((await list("", { key: null })).status).toBe(401);
  });
});

describe("GET /api/v1/webhook-subscriptions/{id}", () => {
  it("answers the subscription without its secret, with a read-only key", async () => {
    const { fullKey, readKey } = await givenShop();
    const made = await givenSubscription(fullKey, { description: "ERP" });
    const response = await getOne(made.id, { key: readKey });
    expect(response.status).toBe(200);
    const data = await resourceOf(response);
    const { secret: _secret, ...withoutSecret } = made.attributes;
    expect(data).toEqual({ ...made, attributes: withoutSecret });
    expect(data.attributes).not.toHaveProperty("secret");
  });

  it.each(["no-such-id", "x".repeat(300), "a\u0000b"])("404 for the unknown id %j", async (id) => {
    const { readKey } = await givenShop();
    const response = await getOne(id, { key: readKey });
    expect(response.status).toBe(404);
    await errorOf(response);
  });

  it("404 for another shop's subscription", async () => {
    const mine = await givenShop();
    const theirs = await givenShop();
    const made = await givenSubscription(theirs.fullKey);
    const response = await getOne(made.id, { key: mine.readKey });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).detail).toBe(`Webhook subscription ${made.id} not found`);
  });
});

describe("PUT /api/v1/webhook-subscriptions/{id}", () => {
  it("pauses and resumes; what is not sent stays; the secret does not change", async () => {
    const { shopId, fullKey } = await givenShop();
    const made = await givenSubscription(fullKey, {
      description: "keep me",
      events: ["points.earned", "points.redeemed"],
    });
    const paused = await update(made.id, { is_active: false }, { key: fullKey });
    expect(paused.status).toBe(200);
    expect((await resourceOf(paused)).attributes).toMatchObject({
      url: made.attributes.url,
      events: ["points.earned", "points.redeemed"],
      description: "keep me",
      is_active: false,
      secret_hint: made.attributes.secret_hint,
    });
    expect(
      (await resourceOf(await update(made.id, { data: { attributes: { is_active: true } } }, { key: fullKey })))
        .attributes.is_active,
    ).toBe(true);
    expect(await signingSecretFor(db, shopId, made.id)).toBe(made.attributes.secret);
    const activity = await db.activityLog.findMany({
      where: { shopId, type: "webhook_subscription.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(activity.map((a) => a.message)).toEqual([
      `Webhook subscription to ${made.attributes.url} updated and paused`,
      `Webhook subscription to ${made.attributes.url} updated and resumed`,
    ]);
  });

  it("changes url, events and description; a JSON:API body may name its own id", async () => {
    const { fullKey } = await givenShop();
    const made = await givenSubscription(fullKey, { description: "old" });
    const response = await update(
      made.id,
      {
        data: {
          type: "webhook_subscription",
          id: made.id,
          attributes: { url: "https://new.example.com/hook", events: ["customer.tier_upgrade"], description: null },
        },
      },
      { key: fullKey },
    );
    expect(response.status).toBe(200);
    const data = await resourceOf(response);
    expect(data.attributes).toMatchObject({
      url: "https://new.example.com/hook",
      events: ["customer.tier_upgrade"],
      description: null,
      is_active: true,
    });
    expect(Date.parse(data.attributes.updated_at)).toBeGreaterThanOrEqual(Date.parse(made.attributes.updated_at));
    expect(data.attributes).not.toHaveProperty("secret");
  });

  it("keeping its own URL is no conflict; taking another subscription's URL is a 409", async () => {
    const { shopId, fullKey } = await givenShop();
    const first = await givenSubscription(fullKey);
    const second = await givenSubscription(fullKey);
    expect(
      (await update(first.id, { url: first.attributes.url, description: "same url" }, { key: fullKey })).status,
    ).toBe(200);
    const before = await snapshot(shopId);
    const response = await update(second.id, { url: first.attributes.url }, { key: fullKey });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).detail).toContain("url: this shop already has a webhook subscription");
    expect(await snapshot(shopId)).toEqual(before);
  });

  it.each([
    ["an empty body", {}, "body: give at least one of url, events, description, is_active"],
    ["is_active as a string", { is_active: "false" }, "is_active: must be true or false"],
    ["is_active null", { is_active: null }, "is_active: must be true or false"],
    ["empty events", { events: [] }, "events: must be a non-empty array"],
    ["events null", { events: null }, "events: must be a non-empty array"],
    ["a url null", { url: null }, "url: must be a string"],
    ["an http url", { url: "http://example.com" }, "url: must use https"],
    ["an unknown attribute", { is_active: false, secret: "mine" }, "secret: is not a known attribute"],
    [
      "another id in a JSON:API body",
      { data: { id: "other", attributes: { is_active: false } } },
      "data.id: must be the id in the path",
    ],
  ])("400 for %s; nothing changes", async (_case, body, detail) => {
    const { shopId, fullKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const before = await snapshot(shopId);
    const response = await update(made.id, body, { key: fullKey });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).detail).toContain(detail);
    expect(await snapshot(shopId)).toEqual(before);
  });

  it("404 for another shop's subscription or an unknown id, whatever the body", async () => {
    const mine = await givenShop();
    const theirs = await givenShop();
    const made = await givenSubscription(theirs.fullKey);
    const before = await snapshot(theirs.shopId);
    expect((await update(made.id, { is_active: false }, { key: mine.fullKey })).status).toBe(404);
    expect((await update(made.id, { is_active: "x" }, { key: mine.fullKey })).status).toBe(404);
    expect((await update("nope", { is_active: false }, { key: mine.fullKey })).status).toBe(404);
    expect(await snapshot(theirs.shopId)).toEqual(before);
  });
});

describe("DELETE /api/v1/webhook-subscriptions/{id}", () => {
  it("204 with no body; the subscription and its secret are gone, the activity log keeps it", async () => {
    const { shopId, fullKey, readKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const response = await remove(made.id, { key: fullKey });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect((await getOne(made.id, { key: readKey })).status).toBe(404);
    expect((await remove(made.id, { key: fullKey })).status).toBe(404);
    await expect(signingSecretFor(db, shopId, made.id)).rejects.toThrow(/not found/);
    const logged = await db.activityLog.findFirstOrThrow({ where: { shopId, type: "webhook_subscription.deleted" } });
    expect(logged.message).toBe(`Webhook subscription to ${made.attributes.url} deleted`);
    // The URL is free again.
    expect((await create({ url: made.attributes.url, events: ["points.earned"] }, { key: fullKey })).status).toBe(201);
  });

  it("404 for another shop's subscription; it stays", async () => {
    const mine = await givenShop();
    const theirs = await givenShop();
    const made = await givenSubscription(theirs.fullKey);
    expect((await remove(made.id, { key: mine.fullKey })).status).toBe(404);
    expect(await db.webhookSubscription.count({ where: { id: made.id } })).toBe(1);
  });
});

describe("POST /api/v1/webhook-subscriptions/{id}/rotate-secret", () => {
  it("200 with a new secret, shown this once; the old one stops signing at once", async () => {
    const { shopId, fullKey, readKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const oldSecret = made.attributes.secret!;
    const response = await rotate(made.id, { key: fullKey });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const data = await resourceOf(response);
    const newSecret = data.attributes.secret!;
    expect(newSecret).toMatch(SECRET);
    expect(newSecret).not.toBe(oldSecret);
    expect(data.attributes.secret_hint).toBe(`whsec_…${newSecret.slice(-4)}`);
    expect(data.attributes).toMatchObject({
      url: made.attributes.url,
      events: made.attributes.events,
      is_active: true,
    });

    const current = await signingSecretFor(db, shopId, made.id);
    expect(current).toBe(newSecret);
    expect(signWebhook(current, 1767225600, "{}")).not.toBe(signWebhook(oldSecret, 1767225600, "{}"));
    expect((await resourceOf(await getOne(made.id, { key: readKey }))).attributes).not.toHaveProperty("secret");
  });

  it("404 for another shop's subscription or an unknown id; nothing changes", async () => {
    const mine = await givenShop();
    const theirs = await givenShop();
    const made = await givenSubscription(theirs.fullKey);
    const before = await snapshot(theirs.shopId);
    expect((await rotate(made.id, { key: mine.fullKey })).status).toBe(404);
    expect((await rotate("nope", { key: mine.fullKey })).status).toBe(404);
    expect(await snapshot(theirs.shopId)).toEqual(before);
    expect(await signingSecretFor(db, theirs.shopId, made.id)).toBe(made.attributes.secret);
  });
});

describe("webhook subscriptions: keys, methods, secrets", () => {
  it("a read-only key may read but every write is a 403 that changes nothing; no key is a 401", async () => {
    const { shopId, fullKey, readKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const before = await snapshot(shopId);
    expect((await list("", { key: readKey })).status).toBe(200);
    expect((await getOne(made.id, { key: readKey })).status).toBe(200);
    const writes = [
      await create({ url: "https://ro.example.com/x", events: ["points.earned"] }, { key: readKey }),
      await update(made.id, { is_active: false }, { key: readKey }),
      await remove(made.id, { key: readKey }),
      await rotate(made.id, { key: readKey }),
    ];
    for (const response of writes) {
      expect(response.status).toBe(403);
      expect((await errorOf(response)).detail).toBe("This API key is read-only");
    }
    for (const response of [
      await create({ url: "https://ro.example.com/x", events: ["points.earned"] }, { key: null }),
      await getOne(made.id, { key: null }),
      await rotate(made.id, { key: null }),
    ]) {
      expect(response.status).toBe(401);
    }
    expect(await snapshot(shopId)).toEqual(before);
  });

  it("405 with Allow for methods a path does not serve", async () => {
    const { fullKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const patch = await callRoute(
      "action",
      ONE,
      apiRequest("PATCH", `${BASE}/${made.id}`, { key: fullKey, body: {} }),
      { id: made.id },
    );
    expect(patch.status).toBe(405);
    expect(patch.headers.get("Allow")).toBe("GET, PUT, DELETE");
    const get = await callRoute(
      "loader",
      ROTATE,
      apiRequest("GET", `${BASE}/${made.id}/rotate-secret`, { key: fullKey }),
      { id: made.id },
    );
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    const put = await callRoute("action", LIST, apiRequest("PUT", BASE, { key: fullKey, body: {} }));
    expect(put.headers.get("Allow")).toBe("GET, POST");
  });

  it("records create, update, delete and rotation in the activity log, never with a secret", async () => {
    const { shopId, fullKey } = await givenShop();
    const made = await givenSubscription(fullKey);
    const rotated = await resourceOf(await rotate(made.id, { key: fullKey }));
    await update(made.id, { description: "x" }, { key: fullKey });
    await remove(made.id, { key: fullKey });
    const activity = await db.activityLog.findMany({ where: { shopId }, orderBy: { createdAt: "asc" } });
    expect(activity.map((a) => a.type)).toEqual([
      "webhook_subscription.created",
      "webhook_subscription.secret_rotated",
      "webhook_subscription.updated",
      "webhook_subscription.deleted",
    ]);
    expect(activity.every((a) => a.actor.startsWith("api:pw_"))).toBe(true);
    const text = JSON.stringify(activity);
    for (const secret of [made.attributes.secret!, rotated.attributes.secret!])
      expect(text).not.toContain(secret.slice(6));
    expect(JSON.parse(activity[1]!.data!)).toMatchObject({
      id: made.id,
      secret_hint: rotated.attributes.secret_hint,
      previous_secret_hint: made.attributes.secret_hint,
    });
  });

  it("never writes a secret to the console", async () => {
    const { fullKey } = await givenShop();
    const calls: unknown[][] = [];
    for (const method of ["log", "info", "warn", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void calls.push(args));
    }
    const made = await givenSubscription(fullKey);
    const rotated = await resourceOf(await rotate(made.id, { key: fullKey }));
    const printed = calls.map((args) => args.map(String).join(" ")).join("\n");
    expect(printed).not.toContain(made.attributes.secret!.slice(6));
    expect(printed).not.toContain(rotated.attributes.secret!.slice(6));
  });

  it("signingSecretFor decrypts only for its own subscription: a secret copied to another row is refused", async () => {
    const { shopId, fullKey } = await givenShop();
    const first = await givenSubscription(fullKey);
    const second = await givenSubscription(fullKey);
    const body = '{"event":"points.earned"}';
    const secret = await signingSecretFor(db, shopId, first.id);
    expect(signWebhook(secret, 1767225600, body)).toBe(
      `sha256=${createHmac("sha256", first.attributes.secret!).update(`1767225600.${body}`).digest("hex")}`,
    );
    const stored = await db.webhookSubscription.findUniqueOrThrow({ where: { id: first.id } });
    await db.webhookSubscription.update({
      where: { id: second.id },
      data: { secretEncrypted: stored.secretEncrypted },
    });
    await expect(signingSecretFor(db, shopId, second.id)).rejects.toThrow(SecretDecryptionError);
    const other = await givenShop();
    await expect(signingSecretFor(db, other.shopId, first.id)).rejects.toThrow(/not found/);
  });
});
