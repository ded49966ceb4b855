import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { database, openDatabase, providerOf, type Database } from "~/db.server";
import {
  adjustPoints,
  AlreadyAwardedError,
  awardEarningRule,
  earnForOrder,
  InsufficientPointsError,
  purchaseReward,
} from "~/modules/ledger";

import { createEarningRule, createMember, createReward, installShop } from "../../helpers/factories";
import { ledgerProblems, pts } from "../../helpers/ledger";

const run = promisify(execFile);
const db = database();
const provider = providerOf(process.env.DATABASE_URL ?? "");
/**
 * PostgreSQL: separate clients, separate connection pools, so the requests really run side by side.
 * SQLite: one client per process (its driver blocks the thread while it waits for the file lock, so
 * two connections in one process would wait on each other); contention between connections is
 * what the multi-process test below is for.
 */
const CLIENTS = provider === "postgresql" ? 4 : 1;
const CONCURRENT = 40;
let clients: Database[] = [];
let shopId: string;

const settle = <T>(work: (client: Database, i: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: CONCURRENT }, (_, i) => work(clients[i % CLIENTS] as Database, i)));

describe(`races on ${provider}: ${CONCURRENT} concurrent requests over ${CLIENTS} client(s), then 4 processes`, () => {
  beforeAll(async () => {
    clients = Array.from({ length: CLIENTS }, () => openDatabase(process.env.DATABASE_URL ?? ""));
    shopId = (await installShop(db)).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.$disconnect()));
  });

  it(`GIVEN a balance for exactly 7 rewards WHEN ${CONCURRENT} purchases race THEN exactly 7 succeed and the balance ends at 0`, async () => {
    const member = await createMember(db, shopId);
    const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
    await adjustPoints(db, { shopId, identifier: member.email ?? "", deltaCenti: pts(700), actor: "test" });
    const results = await settle((client) =>
      purchaseReward(client, { shopId, rewardId: reward.id, identifier: member.email ?? "", actor: "race" }),
    );
    const failures = results.flatMap((r) =>
      r.status === "rejected" && !(r.reason instanceof InsufficientPointsError) ? [r.reason] : [],
    );
    expect(failures).toEqual([]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(7);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(0n);
    expect(await db.customerReward.count({ where: { memberId: member.id } })).toBe(7);
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it(`WHEN ${CONCURRENT} awards of one once-per-member rule race THEN exactly one is awarded`, async () => {
    const member = await createMember(db, shopId);
    const rule = await createEarningRule(db, shopId, { pointsCenti: pts(50) });
    const results = await settle((client) =>
      awardEarningRule(client, { shopId, ruleId: rule.id, identifier: member.email ?? "", actor: "race" }),
    );
    const failures = results.flatMap((r) =>
      r.status === "rejected" && !(r.reason instanceof AlreadyAwardedError) ? [r.reason] : [],
    );
    expect(failures).toEqual([]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(50));
    expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
  });

  it(`WHEN the same order event arrives ${CONCURRENT} times at once THEN it earns once`, async () => {
    const member = await createMember(db, shopId);
    await createEarningRule(db, shopId, {
      category: "purchase",
      action: "place_order",
      pointsPerUnitCenti: pts(1),
      oncePerMember: false,
    });
    const results = await settle((client) =>
      earnForOrder(client, {
        shopId,
        memberId: member.id,
        shopifyOrderId: `race-${member.id}`,
        currency: "USD",
        subtotalMinor: 10_000n,
        shippingMinor: 0n,
        taxMinor: 0n,
        discountsMinor: 0n,
        actor: "race",
      }),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await db.lot.count({ where: { memberId: member.id } })).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(100));
  });

  it(`WHEN ${CONCURRENT} requests race with one Idempotency-Key THEN one acts and all get its result`, async () => {
    const member = await createMember(db, shopId);
    const results = await settle((client) =>
      adjustPoints(client, {
        shopId,
        identifier: member.email ?? "",
        deltaCenti: pts(10),
        actor: "race",
        idempotencyKey: `race-${member.id}`,
      }),
    );
    const values = results.map((r) => (r.status === "fulfilled" ? r.value : r.reason));
    expect(
      new Set(values.map((value) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))))
        .size,
    ).toBe(1);
    expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(pts(10));
  });

  it(
    "GIVEN 4 processes buying the same rewards at once THEN no point is spent twice",
    { timeout: 120_000 },
    async () => {
      const member = await createMember(db, shopId);
      const reward = await createReward(db, shopId, { pointsCostCenti: pts(100) });
      await adjustPoints(db, { shopId, identifier: member.email ?? "", deltaCenti: pts(1000), actor: "test" });
      const processes = await Promise.all(
        Array.from({ length: 4 }, () =>
          run(
            "node_modules/.bin/tsx",
            ["test/fixtures/ledger-race-worker.ts", shopId, reward.id, member.email ?? "", "8"],
            {
              env: { ...process.env },
            },
          ),
        ),
      );
      const outcomes = processes.map(
        ({ stdout }) =>
          JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
            bought: number;
            refused: number;
            failures: string[];
          },
      );
      expect(outcomes.flatMap((outcome) => outcome.failures)).toEqual([]);
      expect(outcomes.reduce((total, outcome) => total + outcome.bought, 0)).toBe(10);
      expect(outcomes.reduce((total, outcome) => total + outcome.refused, 0)).toBe(22);
      expect((await db.customer.findUniqueOrThrow({ where: { id: member.id } })).availableCenti).toBe(0n);
      expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
    },
  );
});
