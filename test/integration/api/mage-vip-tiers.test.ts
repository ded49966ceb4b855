import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { adjustPoints } from "~/modules/ledger";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";
import { callRoute } from "../../helpers/routes";

const db = database();
const LIST = "app/routes/api.v1.vip-tiers.tsx";
const ONE = "app/routes/api.v1.vip-tiers.$id.tsx";

type Options = Parameters<typeof apiRequest>[2];
type Resource = { type: string; id: string; attributes: Record<string, unknown> };

let shops = 0;
/** GIVEN a fresh shop (tiers are per shop, so each test counts its own members) with keys. */
async function givenShop() {
  shops += 1;
  const shop = await installShop(db, { shop: `tiers-${shops}-${Date.now()}.myshopify.com` });
  const key = await createKey(db, shop.id);
  const readKey = await createKey(db, shop.id, "read");
  const list = (query = "", options: Options = {}) =>
    callRoute("loader", LIST, apiRequest("GET", `/api/v1/vip-tiers${query}`, { key, ...options }));
  const create = (body: unknown, options: Options = {}) =>
    callRoute("action", LIST, apiRequest("POST", "/api/v1/vip-tiers", { key, body, ...options }));
  const one = (method: string, id: string, body?: unknown, options: Options = {}) =>
    callRoute(
      method === "GET" ? "loader" : "action",
      ONE,
      apiRequest(method, `/api/v1/vip-tiers/${id}`, { key, body, ...options }),
      { id },
    );
  /** A member with `lifetime` lifetime points (earned, so on the tier the ledger gives them). */
  const member = async (lifetime: number) => {
    const created = await createMember(db, shop.id);
    await adjustPoints(db, {
      shopId: shop.id,
      identifier: created.email ?? "",
      deltaCenti: pts(lifetime),
      actor: "test",
    });
    return created;
  };
  const tierOf = async (memberId: string) =>
    (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).vipTierId;
  return { shop, shopId: shop.id, key, readKey, list, create, one, member, tierOf };
}

const detailOf = async (response: Response) =>
  ((await response.json()) as { errors: { detail: string }[] }).errors[0]?.detail ?? "";
const resourceOf = async (response: Response) => ((await response.json()) as { data: Resource }).data;

describe("/api/v1/vip-tiers (Mage catalogue, issue 4)", () => {
  it("POST creates a tier and moves the members who reach it at once, each move a TierChange with its event and activity", async () => {
    const { shopId, key, create, member, tierOf } = await givenShop();
    const rich = await member(1500);
    const poor = await member(100);
    const response = await create({
      data: {
        type: "vip_tier",
        attributes: {
          name: "Gold",
          description: "Our best",
          points_required: 1000,
          points_multiplier: 1.5,
          badge_image_url: "https://cdn.example.com/gold.png",
          badge_color: "#c9a227",
        },
      },
    });
    expect(response.status).toBe(201);
    const data = await resourceOf(response);
    expect(response.headers.get("Location")).toBe(`/api/v1/vip-tiers/${data.id}`);
    expect(data).toMatchObject({
      type: "vip_tier",
      attributes: {
        name: "Gold",
        description: "Our best",
        points_required: 1000,
        basis: "lifetime_points",
        currency_code: null,
        points_multiplier: 1.5,
        badge_image_url: "https://cdn.example.com/gold.png",
        badge_color: "#C9A227",
        exclusive_reward_ids: [],
        members_count: 1,
      },
    });
    expect(await tierOf(rich.id)).toBe(data.id);
    expect(await tierOf(poor.id)).toBeNull();
    expect(
      await db.tierChange.findMany({ where: { memberId: rich.id }, select: { direction: true, toTierId: true } }),
    ).toEqual([{ direction: "upgrade", toTierId: data.id }]);
    expect(await db.outboxEvent.count({ where: { memberId: rich.id, topic: "customer.tier_upgrade" } })).toBe(1);
    expect(await db.tierChange.count({ where: { memberId: poor.id } })).toBe(0);
    const activity = await db.activityLog.findFirstOrThrow({ where: { shopId, type: "vip_tier_created" } });
    expect(activity.actor).toBe(`api:${key.slice(0, 12)}`);
    expect(JSON.parse(activity.data ?? "{}")).toMatchObject({ id: data.id, membersMoved: 1 });
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("GET lists every tier by points_required with members and exclusive rewards; one tier by id; 404 for foreign or unknown", async () => {
    const { shopId, list, one, member, readKey } = await givenShop();
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000), multiplierBp: 20_000 });
    const bronze = await createTier(db, shopId, { name: "Bronze", threshold: 0n });
    const silver = await createTier(db, shopId, { name: "Silver", threshold: pts(500) });
    await member(600);
    await member(50);
    const exclusive = await createReward(db, shopId, { vipTierId: gold.id });
    await createReward(db, shopId, { vipTierId: gold.id, deletedAt: new Date() });
    const response = await list("", { key: readKey });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Resource[]; meta: Record<string, number> };
    expect(body.data.map((t) => t.attributes.name)).toEqual(["Bronze", "Silver", "Gold"]);
    expect(body.meta).toEqual({ total: 3, page: 1, per_page: 100, total_pages: 1 });
    expect(body.data.map((t) => t.attributes.members_count)).toEqual([1, 1, 0]);
    expect(body.data[2]?.attributes).toMatchObject({ points_multiplier: 2, exclusive_reward_ids: [exclusive.id] });
    const paged = (await (await list("?page[size]=2&page[number]=2")).json()) as { data: Resource[] };
    expect(paged.data.map((t) => t.id)).toEqual([gold.id]);
    expect((await resourceOf(await one("GET", silver.id))).attributes).toMatchObject({
      name: "Silver",
      points_required: 500,
    });
    const other = await givenShop();
    const foreign = await createTier(db, other.shopId, { name: "Foreign", threshold: 1n });
    expect((await one("GET", foreign.id)).status).toBe(404);
    expect((await one("GET", "no-such-tier")).status).toBe(404);
    expect((await one("GET", bronze.id, undefined, { key: null })).status).toBe(401);
  });

  it("GIVEN a spend basis THEN points_required is money in the shop's currency", async () => {
    const { shopId, create, list } = await givenShop();
    await db.shop.update({ where: { id: shopId }, data: { tierBasis: "lifetime_spend", currencyCode: "EUR" } });
    const created = await create({ name: "Big spender", points_required: 250.5 });
    expect(created.status).toBe(201);
    expect((await resourceOf(created)).attributes).toMatchObject({
      points_required: 250.5,
      basis: "lifetime_spend",
      currency_code: "EUR",
    });
    expect((await db.vipTier.findFirstOrThrow({ where: { shopId } })).threshold).toBe(25_050n);
    const refused = await create({ name: "Too precise", points_required: 1.001 });
    expect(refused.status).toBe(400);
    expect(await detailOf(refused)).toMatch(/points_required: must be an amount of EUR with at most 2 decimals/);
    expect(((await (await list()).json()) as { data: Resource[] }).data).toHaveLength(1);
  });

  it("409 for a second tier with the same threshold or name (any case); nothing written", async () => {
    const { shopId, create, one } = await givenShop();
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
    const silver = await createTier(db, shopId, { name: "Silver", threshold: pts(500) });
    const sameThreshold = await create({ name: "Platinum", points_required: 1000 });
    expect(sameThreshold.status).toBe(409);
    expect(await detailOf(sameThreshold)).toMatch(/points_required: the VIP tier "Gold" .* already starts there/);
    const sameName = await create({ name: "gold", points_required: 2000 });
    expect(sameName.status).toBe(409);
    expect(await detailOf(sameName)).toMatch(/name: the VIP tier .* is already called "Gold"/);
    expect((await one("PUT", silver.id, { points_required: 1000 })).status).toBe(409);
    expect((await one("PUT", silver.id, { name: "GOLD" })).status).toBe(409);
    expect((await one("PUT", gold.id, { name: "Gold", points_required: 1000 })).status).toBe(200);
    expect(await db.vipTier.count({ where: { shopId } })).toBe(2);
    expect((await db.vipTier.findUniqueOrThrow({ where: { id: silver.id } })).threshold).toBe(pts(500));
  });

  it("GIVEN 6 parallel creates of one threshold THEN exactly one tier is made and the rest answer 409", async () => {
    const { shopId, create } = await givenShop();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => create({ name: `Racer ${i}`, points_required: 700 })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await db.vipTier.count({ where: { shopId } })).toBe(1);
  });

  it("PUT raising a threshold moves members down at once; lowering it moves them up; other attributes move no one", async () => {
    const { shopId, one, member, tierOf } = await givenShop();
    const silver = await createTier(db, shopId, { name: "Silver", threshold: pts(500) });
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
    const m = await member(1200);
    expect(await tierOf(m.id)).toBe(gold.id);
    const raised = await one("PUT", gold.id, { points_required: 1500 });
    expect(raised.status).toBe(200);
    expect((await resourceOf(raised)).attributes).toMatchObject({ points_required: 1500, members_count: 0 });
    expect(await tierOf(m.id)).toBe(silver.id);
    expect(await db.outboxEvent.count({ where: { memberId: m.id, topic: "customer.tier_downgrade" } })).toBe(1);
    const lowered = await one("PUT", gold.id, {
      data: { type: "vip_tier", id: gold.id, attributes: { points_required: 1100 } },
    });
    expect(lowered.status).toBe(200);
    expect(await tierOf(m.id)).toBe(gold.id);
    const changes = await db.tierChange.count({ where: { memberId: m.id } });
    expect((await one("PUT", gold.id, { points_multiplier: 2, badge_color: null })).status).toBe(200);
    expect(await db.tierChange.count({ where: { memberId: m.id } })).toBe(changes);
    expect(await db.vipTier.findUniqueOrThrow({ where: { id: gold.id } })).toMatchObject({
      multiplierBp: 20_000,
      badgeColor: null,
      name: "Gold",
    });
    const activity = await db.activityLog.findFirstOrThrow({
      where: { shopId, type: "vip_tier_updated" },
      orderBy: { createdAt: "desc" },
    });
    expect(activity.message).toMatch(/^VIP tier "Gold" updated/);
    expect(await ledgerProblems(db, shopId)).toEqual([]);
  });

  it("DELETE moves its members down to the tier below (downgrade events) and removes it; 409 while rewards are reserved for it", async () => {
    const { shopId, one, list, member, tierOf } = await givenShop();
    const silver = await createTier(db, shopId, { name: "Silver", threshold: pts(500) });
    const gold = await createTier(db, shopId, { name: "Gold", threshold: pts(1000) });
    const m = await member(1200);
    expect(await tierOf(m.id)).toBe(gold.id);
    const reserved = await createReward(db, shopId, { vipTierId: gold.id });
    const refused = await one("DELETE", gold.id);
    expect(refused.status).toBe(409);
    expect(await detailOf(refused)).toContain(reserved.id);
    expect(await tierOf(m.id)).toBe(gold.id);
    await db.reward.update({ where: { id: reserved.id }, data: { deletedAt: new Date() } });
    const deleted = await one("DELETE", gold.id);
    expect(deleted.status).toBe(204);
    expect(await tierOf(m.id)).toBe(silver.id);
    const change = await db.tierChange.findFirstOrThrow({ where: { memberId: m.id }, orderBy: { createdAt: "desc" } });
    expect(change).toMatchObject({ direction: "downgrade", fromTierId: gold.id, toTierId: silver.id });
    expect(await db.outboxEvent.count({ where: { memberId: m.id, topic: "customer.tier_downgrade" } })).toBe(1);
    expect((await one("GET", gold.id)).status).toBe(404);
    expect((await one("DELETE", gold.id)).status).toBe(404);
    expect(((await (await list()).json()) as { data: Resource[] }).data.map((t) => t.id)).toEqual([silver.id]);
    expect(await db.activityLog.count({ where: { shopId, type: "vip_tier_deleted" } })).toBe(1);
    const last = await one("DELETE", silver.id);
    expect(last.status).toBe(204);
    expect(await tierOf(m.id)).toBeNull();
  });

  it.each([
    ["no body", undefined, /name: is required; points_required: is required/],
    ["points as a string", { name: "T", points_required: "100" }, /points_required: must be a number, not a string/],
    ["negative points", { name: "T", points_required: -1 }, /points_required: must be at least 0/],
    ["over-precise points", { name: "T", points_required: 0.125 }, /points_required: .*at most 2 decimals/],
    [
      "a zero multiplier",
      { name: "T", points_required: 1, points_multiplier: 0 },
      /points_multiplier: must be a multiplier above 0 and at most 100/,
    ],
    [
      "a huge multiplier",
      { name: "T", points_required: 1, points_multiplier: 101 },
      /points_multiplier: must be a multiplier above 0/,
    ],
    [
      "a multiplier as a string",
      { name: "T", points_required: 1, points_multiplier: "1.5" },
      /points_multiplier: must be a number/,
    ],
    ["a bad colour", { name: "T", points_required: 1, badge_color: "gold" }, /badge_color: must be a hex colour/],
    [
      "a data: URL",
      { name: "T", points_required: 1, badge_image_url: "data:image/png;base64,AAAA" },
      /badge_image_url: must be an http/,
    ],
    ["a read-only attribute", { name: "T", points_required: 1, members_count: 5 }, /members_count: read-only/],
    [
      "exclusive rewards",
      { name: "T", points_required: 1, exclusive_reward_ids: [] },
      /exclusive_reward_ids: read-only/,
    ],
    ["an unknown attribute", { name: "T", points_required: 1, rank: 1 }, /unknown attribute "rank"/],
    [
      "a wrong type",
      { data: { type: "tier", attributes: { name: "T", points_required: 1 } } },
      /data.type: must be "vip_tier"/,
    ],
  ])("400 for %s, naming it, and nothing written", async (_case, body, message) => {
    const { shopId, create } = await givenShop();
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(await detailOf(response)).toMatch(message);
    expect(await db.vipTier.count({ where: { shopId } })).toBe(0);
    expect(await db.activityLog.count({ where: { shopId } })).toBe(0);
  });

  it("403 for every write with a read-only key, 401 without a key, 404 for another shop's tier; nothing changes", async () => {
    const { shopId, create, one, readKey } = await givenShop();
    const tier = await createTier(db, shopId, { name: "Kept", threshold: pts(10) });
    expect((await create({ name: "T", points_required: 1 }, { key: readKey })).status).toBe(403);
    expect((await create({ name: "T", points_required: 1 }, { key: null })).status).toBe(401);
    expect((await one("PUT", tier.id, { name: "Changed" }, { key: readKey })).status).toBe(403);
    expect((await one("DELETE", tier.id, undefined, { key: readKey })).status).toBe(403);
    const other = await givenShop();
    const foreign = await createTier(db, other.shopId, { name: "Foreign", threshold: 1n });
    expect((await one("PUT", foreign.id, { name: "Mine" })).status).toBe(404);
    expect((await one("DELETE", foreign.id)).status).toBe(404);
    expect(await db.vipTier.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ name: "Foreign" });
    expect(await db.vipTier.findUniqueOrThrow({ where: { id: tier.id } })).toMatchObject({ name: "Kept" });
    expect(await db.vipTier.count({ where: { shopId } })).toBe(1);
  });

  it("an Idempotency-Key creates one tier; 405 with Allow for PATCH", async () => {
    const { shopId, create, key } = await givenShop();
    const headers = { "Idempotency-Key": `tier-${shopId}` };
    const first = await create({ name: "Once", points_required: 5 }, { headers });
    const second = await create({ name: "Once", points_required: 5 }, { headers });
    expect(second.status).toBe(201);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await db.vipTier.count({ where: { shopId } })).toBe(1);
    const patch = await callRoute("action", ONE, apiRequest("PATCH", "/api/v1/vip-tiers/x", { key, body: {} }), {
      id: "x",
    });
    expect(patch.status).toBe(405);
    expect(patch.headers.get("Allow")).toBe("GET, PUT, DELETE");
  });
});
