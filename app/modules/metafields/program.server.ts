import type { Database } from "~/db.server";
import { formatMoney } from "~/modules/ledger/math/money";
import { formatFixedDecimal, formatPoints } from "~/modules/ledger/math/points";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import {
  ensureMetafieldDefinitions,
  fetchShopGid,
  PROGRAM_METAFIELD_KEY,
  setJsonMetafields,
} from "~/shopify/metafields.server";

export const PROGRAM_SYNC_TOPIC = "program.sync";

async function offlineAdmin(domain: string) {
  const { unauthenticated } = await import("~/shopify.server");
  return (await unauthenticated.admin(domain)).admin.graphql;
}

/** Multiplier basis points as a decimal string: 15000 → "1.5". */
const multiplier = (bp: number) => formatFixedDecimal(BigInt(bp), 4, true);
/** Percentage basis points as a percent: 1250 → "12.5". */
const percent = (bp: number) => formatFixedDecimal(BigInt(bp), 2, true);

/**
 * The shop's public program for the storefront widget (`$app:program`): what the shop's customers
 * may see of its earning rules, rewards and VIP tiers. Nothing per customer, nothing secret.
 * Points are exact decimal strings, money is in the shop's currency with its decimals.
 */
export async function programMetafieldValue(db: Database, shopId: string) {
  const [shop, rules, rewards, tiers] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: shopId } }),
    db.earningRule.findMany({
      where: { shopId, isActive: true, deletedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.reward.findMany({
      where: { shopId, isActive: true, deletedAt: null },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.vipTier.findMany({ where: { shopId }, orderBy: [{ threshold: "asc" }, { id: "asc" }] }),
  ]);
  const currency = shop.currencyCode;
  const money = (minor: bigint | null) => (minor === null ? null : formatMoney(minor, currency));
  const threshold = (value: bigint) =>
    shop.tierBasis === "lifetime_spend" ? formatMoney(value, currency) : formatPoints(value);
  return {
    currency,
    expiry: { policy: shop.expiryPolicy, months: shop.expiryPolicy === "none" ? null : shop.expiryMonths },
    earning_rules: rules.map((rule) => ({
      id: rule.id,
      label: rule.customerFacingLabel ?? rule.name,
      category: rule.category,
      action: rule.action,
      points: rule.category === "purchase" ? null : formatPoints(rule.pointsCenti),
      points_per_unit: rule.pointsPerUnitCenti === null ? null : formatPoints(rule.pointsPerUnitCenti),
      url: rule.callToActionUrl,
    })),
    rewards: rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      description: reward.description,
      type: reward.discountType,
      points_cost: reward.pointsCostCenti === null ? null : formatPoints(reward.pointsCostCenti),
      amount: reward.discountType === "percentage" ? null : money(reward.discountAmountMinor),
      percentage: reward.discountPercentBp === null ? null : percent(reward.discountPercentBp),
      minimum_spend: money(reward.minimumSpendMinor),
      variable: reward.isVariable
        ? {
            points_per_unit: reward.pointsPerUnitCenti === null ? null : formatPoints(reward.pointsPerUnitCenti),
            min_points: reward.minPointsCenti === null ? null : formatPoints(reward.minPointsCenti),
            max_points: reward.maxPointsCenti === null ? null : formatPoints(reward.maxPointsCenti),
          }
        : null,
      vip_tier_id: reward.vipTierId,
    })),
    vip_tiers: {
      basis: shop.tierBasis,
      tiers: tiers.map((tier) => ({
        id: tier.id,
        name: tier.name,
        description: tier.description,
        threshold: threshold(tier.threshold),
        multiplier: multiplier(tier.multiplierBp),
        badge_color: tier.badgeColor,
        badge_image_url: tier.badgeImageUrl,
      })),
    },
  };
}

/**
 * Writes the shop metafield `$app:program` from the current catalogue. Call it after install and
 * after any change to earning rules, rewards, tiers or program settings. Throws the
 * metafields.server errors when Shopify cannot take it.
 */
export async function syncProgramMetafield(db: Database, shopId: string, options: { graphql?: AdminGraphql } = {}) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
  const graphql = options.graphql ?? (await offlineAdmin(shop.domain));
  const value = await programMetafieldValue(db, shopId);
  const ownerId = await fetchShopGid(graphql);
  await setJsonMetafields(graphql, [{ ownerId, key: PROGRAM_METAFIELD_KEY, value: JSON.stringify(value) }]);
  return value;
}

/**
 * On install (afterAuth): creates Pointwise's metafield definitions (an existing one is fine) and
 * publishes the program metafield. Safe to repeat.
 */
export async function setUpMetafields(db: Database, shopId: string, graphql: AdminGraphql) {
  const created = await ensureMetafieldDefinitions(graphql);
  await syncProgramMetafield(db, shopId, { graphql });
  return created;
}

/**
 * Republishes the $app:program metafield of every shop with due program.sync events (catalogue
 * changes), once per shop however many changes came in. Events are claimed with a conditional update
 * (pending, or delivering with a lapsed lease), so several workers never lose or double-handle one;
 * a failure puts them back with the member sync's backoff, and after its attempts they are dead.
 */
export async function syncPendingProgramMetafields(
  db: Database,
  options: { now?: Date; graphqlFor?: (domain: string) => Promise<AdminGraphql> } = {},
) {
  const { MAX_SYNC_ATTEMPTS, SYNC_LEASE_MS, syncBackoffMs } = await import("./sync.server");
  const now = options.now ?? new Date();
  const due = { topic: PROGRAM_SYNC_TOPIC, availableAt: { lte: now }, status: { in: ["pending", "delivering"] } };
  const events = await db.outboxEvent.findMany({
    where: due,
    select: { id: true, shopId: true, attempts: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  const byShop = new Map<string, typeof events>();
  for (const event of events) byShop.set(event.shopId, [...(byShop.get(event.shopId) ?? []), event]);
  const report = { shops: 0, failed: 0 };
  for (const [shopId, shopEvents] of byShop) {
    const ids = shopEvents.map((event) => event.id);
    const lease = new Date(now.getTime() + SYNC_LEASE_MS);
    const { count } = await db.outboxEvent.updateMany({
      where: { id: { in: ids }, ...due },
      data: { status: "delivering", availableAt: lease },
    });
    if (count === 0) continue; // another worker has them
    const claimed = { id: { in: ids }, status: "delivering", availableAt: lease };
    try {
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true } });
      const graphql = await (options.graphqlFor ?? offlineAdmin)(shop.domain);
      await syncProgramMetafield(db, shopId, { graphql });
      await db.outboxEvent.updateMany({ where: claimed, data: { status: "delivered", deliveredAt: now } });
      report.shops += 1;
    } catch (error) {
      const attempts = Math.max(...shopEvents.map((event) => event.attempts)) + 1;
      await db.outboxEvent.updateMany({
        where: claimed,
        data: {
          status: attempts >= MAX_SYNC_ATTEMPTS ? "dead" : "pending",
          attempts,
          availableAt: new Date(now.getTime() + syncBackoffMs(attempts)),
          lastError: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        },
      });
      report.failed += 1;
    }
  }
  return report;
}
