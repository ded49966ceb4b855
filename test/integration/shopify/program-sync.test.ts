import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { readRewardAttributes } from "~/modules/api/mage-catalogue";
import { createReward } from "~/modules/catalogue/rewards.server";
import { PROGRAM_SYNC_TOPIC, syncPendingProgramMetafields } from "~/modules/metafields/program.server";
import { unauthenticated } from "~/shopify.server";

import { installShop } from "../../helpers/factories";
import { simulateShopify } from "../../helpers/shopify";

// A catalogue change (here through the REST API's create) republishes the storefront's program
// metafield from the worker: once per shop however many changes, retried when Shopify is down.

const db = database();
const shopify = simulateShopify();
let shopId: string;

const graphqlFor = async (domain: string) => (await unauthenticated.admin(domain)).admin.graphql;
const programCalls = () =>
  shopify.simulator.operations.filter((operation) => operation.operationName === "SetPointwiseMetafields").length;
const program = async () => {
  const { shopGid } = await shopGidOf();
  const metafield = shopify.state.findMetafield(shopify.shop, shopGid, "$app", "program");
  return metafield ? (JSON.parse(metafield.value) as { rewards: Array<{ name: string }> }) : null;
};
const shopGidOf = async () => {
  const response = await (await graphqlFor(shopify.shop))("query PointwiseShopGid { shop { id } }");
  const { data } = (await response.json()) as { data: { shop: { id: string } } };
  return { shopGid: data.shop.id };
};
const events = () => db.outboxEvent.findMany({ where: { shopId, topic: PROGRAM_SYNC_TOPIC } });

const addReward = (name: string) =>
  createReward(db, {
    shopId,
    currency: "USD",
    actor: "api:test",
    attributes: readRewardAttributes({ name, discount_type: "free_shipping", points_cost: 100 }, "USD"),
  });

describe("the $app:program metafield follows catalogue changes", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
  });

  it("GIVEN three catalogue changes THEN one program.sync pass publishes them in one write", async () => {
    await addReward("Free shipping A");
    await addReward("Free shipping B");
    await addReward("Free shipping C");
    expect((await events()).map((event) => event.status)).toEqual(["pending", "pending", "pending"]);
    const before = programCalls();
    await Promise.all([
      syncPendingProgramMetafields(db, { graphqlFor }),
      syncPendingProgramMetafields(db, { graphqlFor }),
    ]);
    expect(programCalls() - before).toBe(1);
    expect((await program())?.rewards.map((reward) => reward.name)).toEqual([
      "Free shipping A",
      "Free shipping B",
      "Free shipping C",
    ]);
    expect((await events()).every((event) => event.status === "delivered")).toBe(true);
    await syncPendingProgramMetafields(db, { graphqlFor });
    expect(programCalls() - before).toBe(1);
  });

  it("GIVEN Shopify down THEN the change waits with a backoff and is published once Shopify is back", async () => {
    await addReward("Free shipping D");
    const now = new Date();
    await shopify.simulator.setFault("down");
    try {
      expect(await syncPendingProgramMetafields(db, { graphqlFor, now })).toEqual({ shops: 0, failed: 1 });
    } finally {
      await shopify.simulator.setFault("up");
    }
    const [waiting] = (await events()).filter((event) => event.status !== "delivered");
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting?.availableAt.getTime()).toBe(now.getTime() + 30_000);
    expect(await syncPendingProgramMetafields(db, { graphqlFor, now })).toEqual({ shops: 0, failed: 0 });
    await syncPendingProgramMetafields(db, { graphqlFor, now: new Date(now.getTime() + 30_000) });
    expect((await program())?.rewards.map((reward) => reward.name)).toContain("Free shipping D");
  });
});
