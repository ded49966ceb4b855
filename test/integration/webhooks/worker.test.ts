import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { backoffMs, drainWorker, LEASE_MS, MAX_ATTEMPTS, runWorkerOnce } from "~/jobs/worker.server";
import { webhookHandlers, type DeliveryContext } from "~/modules/webhooks/registry.server";

import { installShop } from "../../helpers/factories";
import { TEST_SHOP } from "../../helpers/requests";
import { resetWebhookData } from "./helpers";

const db = database();
const TOPIC = "test/probe";
const KEY = "TEST_PROBE";
const T0 = new Date("2026-11-25T12:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let shopId: string;
let calls: DeliveryContext[];

async function enqueue(count: number, availableAt = T0) {
  for (let i = 0; i < count; i++) {
    await db.webhookDelivery.create({
      data: {
        shopDomain: TEST_SHOP,
        shopId,
        topic: TOPIC,
        webhookId: `probe-${i}`,
        payload: `{"n":${i}}`,
        availableAt,
      },
    });
  }
}

describe("the webhook worker", () => {
  beforeEach(async () => {
    await resetWebhookData(db);
    shopId = (await installShop(db)).id;
    calls = [];
  });
  afterEach(() => {
    delete webhookHandlers[KEY];
  });

  it("two workers racing over 20 deliveries process each exactly once", async () => {
    webhookHandlers[KEY] = { handle: async (_db, d) => void calls.push(d) };
    await enqueue(20);
    const [a, b] = await Promise.all([
      runWorkerOnce(db, { now: T0, workerId: "a" }),
      runWorkerOnce(db, { now: T0, workerId: "b" }),
    ]);
    expect(a.processed + b.processed).toBe(20);
    expect(calls).toHaveLength(20);
    expect(new Set(calls.map((c) => c.id)).size).toBe(20);
    const rows = await db.webhookDelivery.findMany();
    expect(rows.every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
    expect(await runWorkerOnce(db, { now: at(1) })).toEqual({ processed: 0, retried: 0, failed: 0 });
  });

  it("a failure is retried with backoff, then failed with its last error, without secrets", async () => {
    webhookHandlers[KEY] = {
      handle: async () => {
        throw new Error("Shopify refused token shpat_0123456789abcdef");
      },
    };
    await enqueue(1);
    let now = T0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await runWorkerOnce(db, { now })).toMatchObject({ retried: 1 });
      const row = await db.webhookDelivery.findFirstOrThrow();
      expect(row).toMatchObject({ status: "pending", attempts: attempt, lockedUntil: null });
      expect(row.availableAt).toEqual(new Date(now.getTime() + backoffMs(attempt)));
      expect(row.lastError).toBe("Error: Shopify refused token [redacted]");
      // Not due before its time.
      expect(await runWorkerOnce(db, { now: new Date(row.availableAt.getTime() - 1) })).toMatchObject({ retried: 0 });
      now = row.availableAt;
    }
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(2)).toBe(60_000);
    expect(await runWorkerOnce(db, { now })).toMatchObject({ failed: 1 });
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(await runWorkerOnce(db, { now: at(365 * 24 * 3600_000) })).toEqual({ processed: 0, retried: 0, failed: 0 });
  });

  it("a delivery that fails once succeeds on its retry and clears its error", async () => {
    let first = true;
    webhookHandlers[KEY] = {
      handle: async () => {
        if (first) {
          first = false;
          throw new Error("transient");
        }
      },
    };
    await enqueue(1);
    await runWorkerOnce(db, { now: T0 });
    await runWorkerOnce(db, { now: at(backoffMs(1)) });
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "done", attempts: 2, lastError: null });
  });

  it("a claim whose worker died is taken again once its lease lapses, not before", async () => {
    webhookHandlers[KEY] = { handle: async (_db, d) => void calls.push(d) };
    await enqueue(1);
    await db.webhookDelivery.updateMany({
      data: { status: "processing", lockedBy: "dead", lockedUntil: at(LEASE_MS), attempts: 1 },
    });
    expect(await runWorkerOnce(db, { now: at(LEASE_MS - 1) })).toMatchObject({ processed: 0 });
    expect(await runWorkerOnce(db, { now: at(LEASE_MS + 1) })).toMatchObject({ processed: 1 });
    expect(calls).toHaveLength(1);
  });

  it("a delivery of a topic without a handler fails after its attempts instead of vanishing", async () => {
    await db.webhookDelivery.create({
      data: { shopDomain: TEST_SHOP, shopId, topic: "unknown/topic", webhookId: "u-1", payload: "{}", availableAt: T0 },
    });
    let now = T0;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await drainWorker(db, { now });
      now = (await db.webhookDelivery.findFirstOrThrow()).availableAt;
    }
    expect(await db.webhookDelivery.findFirstOrThrow()).toMatchObject({
      status: "failed",
      lastError: "Error: No handler for topic unknown/topic",
    });
  });
});
