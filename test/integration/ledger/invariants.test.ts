import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import {
  adjustPoints,
  approveDueLots,
  awardEarningRule,
  earnForOrder,
  expirePoints,
  LedgerError,
  purchaseReward,
  refundCustomerReward,
  reverseOrderEarnings,
} from "~/modules/ledger";

import { createEarningRule, createMember, createReward, createTier, installShop } from "../../helpers/factories";
import { ledgerProblems } from "../../helpers/ledger";

const db = database();
const RUNS = Number(process.env.LEDGER_PROPERTY_RUNS ?? 50);
const MAX_OPERATIONS = 40;
const day = 86_400_000;

/** One random step of a member's life; amounts in centipoints, time in days since the start. */
const operation = fc.oneof(
  fc.record({ op: fc.constant("give" as const), amount: fc.bigInt({ min: 1n, max: 200_000n }) }),
  fc.record({ op: fc.constant("take" as const), amount: fc.bigInt({ min: 1n, max: 200_000n }) }),
  fc.record({ op: fc.constant("award" as const), rule: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    op: fc.constant("buy" as const),
    reward: fc.integer({ min: 0, max: 1 }),
    points: fc.bigInt({ min: 100n, max: 100_000n }),
  }),
  fc.record({ op: fc.constant("refund" as const), which: fc.nat() }),
  fc.record({ op: fc.constant("order" as const), subtotal: fc.bigInt({ min: 0n, max: 500_000n }) }),
  fc.record({ op: fc.constant("reverse" as const), which: fc.nat(), share: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ op: fc.constant("wait" as const), days: fc.integer({ min: 1, max: 200 }) }),
);

describe("ledger invariants over random sequences of operations (fast-check)", () => {
  let shopId: string;
  const rules: string[] = [];
  const rewards: string[] = [];
  let operationsRun = 0;

  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    await db.shop.update({ where: { id: shopId }, data: { expiryPolicy: "after_earning", expiryMonths: 3 } });
    rules.push((await createEarningRule(db, shopId, { pointsCenti: 12_345n })).id);
    rules.push(
      (await createEarningRule(db, shopId, { category: "engagement", pointsCenti: 999n, approvalDays: 20 })).id,
    );
    rules.push((await createEarningRule(db, shopId, { pointsCenti: 5_000n, oncePerMember: false })).id);
    await createEarningRule(db, shopId, {
      category: "purchase",
      action: "place_order",
      pointsPerUnitCenti: 333n,
      rounding: "nearest",
      approvalDays: 7,
    });
    rewards.push((await createReward(db, shopId, { pointsCostCenti: 25_050n })).id);
    rewards.push(
      (
        await createReward(db, shopId, {
          isVariable: true,
          pointsCostCenti: null,
          pointsPerUnitCenti: 100n,
          minPointsCenti: 100n,
        })
      ).id,
    );
    await createTier(db, shopId, { name: "Silver", threshold: 50_000n, multiplierBp: 12_500 });
    await createTier(db, shopId, { name: "Gold", threshold: 300_000n, multiplierBp: 15_000 });
  });

  it(`GIVEN random operations THEN balances = sums of entries, nothing negative, lots = balances, allocations = points spent`, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 10, maxLength: MAX_OPERATIONS }), async (operations) => {
        run += 1;
        const member = await createMember(db, shopId);
        const identifier = member.email ?? "";
        let now = new Date("2026-01-01T00:00:00Z").getTime();
        const at = () => new Date(now);
        const bought: string[] = [];
        const orders: { id: string; subtotal: bigint; refunded: bigint }[] = [];
        for (const step of operations) {
          operationsRun += 1;
          try {
            switch (step.op) {
              case "give":
                await adjustPoints(db, { shopId, identifier, deltaCenti: step.amount, actor: "p", at: at() });
                break;
              case "take":
                await adjustPoints(db, { shopId, identifier, deltaCenti: -step.amount, actor: "p", at: at() });
                break;
              case "award":
                await awardEarningRule(db, {
                  shopId,
                  ruleId: rules[step.rule] as string,
                  identifier,
                  actor: "p",
                  at: at(),
                });
                break;
              case "buy": {
                const purchase = await purchaseReward(db, {
                  shopId,
                  rewardId: rewards[step.reward] as string,
                  identifier,
                  pointsCenti: step.points - (step.points % 100n),
                  actor: "p",
                  at: at(),
                });
                bought.push(purchase.id);
                break;
              }
              case "refund":
                if (bought.length > 0) {
                  await refundCustomerReward(db, {
                    shopId,
                    customerRewardId: bought[step.which % bought.length] as string,
                    actor: "p",
                    at: at(),
                  });
                }
                break;
              case "order": {
                const id = `${member.id}-${orders.length}`;
                orders.push({ id, subtotal: step.subtotal, refunded: 0n });
                await earnForOrder(db, {
                  shopId,
                  memberId: member.id,
                  shopifyOrderId: id,
                  currency: "USD",
                  subtotalMinor: step.subtotal,
                  shippingMinor: 0n,
                  taxMinor: 0n,
                  discountsMinor: 0n,
                  actor: "p",
                  at: at(),
                });
                break;
              }
              case "reverse": {
                const order = orders[step.which % Math.max(orders.length, 1)];
                if (!order) break;
                order.refunded += (order.subtotal * BigInt(step.share)) / 100n;
                if (order.refunded > order.subtotal) order.refunded = order.subtotal;
                await reverseOrderEarnings(db, {
                  shopId,
                  shopifyOrderId: order.id,
                  refundedTotalMinor: order.refunded,
                  actor: "p",
                  at: at(),
                });
                break;
              }
              case "wait":
                now += step.days * day;
                await approveDueLots(db, { shopId, at: at() });
                await expirePoints(db, { shopId, at: at() });
                break;
            }
          } catch (error) {
            // Refusals (not enough points, already awarded, not refundable…) are part of life.
            if (!(error instanceof LedgerError)) throw error;
          }
        }
        expect(await ledgerProblems(db, shopId, member.id)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    expect(run).toBe(RUNS);
    console.info(`ledger property test: ${RUNS} sequences, ${operationsRun} operations`);
  });

  it("GIVEN points given, rewards bought and some refunded, with no expiry THEN refunds conserve the total", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (gifts, refundEach) => {
          const member = await createMember(db, shopId);
          const identifier = member.email ?? "";
          const at = new Date("2026-01-02T00:00:00Z");
          for (const gift of gifts) await adjustPoints(db, { shopId, identifier, deltaCenti: gift, actor: "p", at });
          let kept = 0n;
          for (const refund of refundEach) {
            try {
              const bought = await purchaseReward(db, {
                shopId,
                rewardId: rewards[0] as string,
                identifier,
                actor: "p",
                at,
              });
              if (refund) await refundCustomerReward(db, { shopId, customerRewardId: bought.id, actor: "p", at });
              else kept += bought.pointsSpentCenti;
            } catch (error) {
              if (!(error instanceof LedgerError)) throw error;
            }
          }
          const after = await db.customer.findUniqueOrThrow({ where: { id: member.id } });
          const given = gifts.reduce((total, gift) => total + gift, 0n);
          expect(after.availableCenti + after.redeemedCenti).toBe(given);
          expect(after.redeemedCenti).toBe(kept);
        },
      ),
      { numRuns: Math.max(5, Math.floor(RUNS / 2)) },
    );
  });
});
