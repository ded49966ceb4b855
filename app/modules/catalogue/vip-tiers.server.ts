import type { Database } from "~/db.server";
import type { VipTierAttributes } from "~/modules/api/mage-catalogue";
import { recomputeMemberTier, standingOf } from "~/modules/ledger";
import { evaluateTier } from "~/modules/ledger/math";
import { lockShopRow } from "~/modules/shops/shops.server";
import { inTransaction, type Tx } from "~/modules/ledger/transaction.server";

import { recordCatalogueChange } from "./activity.server";
import { CatalogueConflictError, CatalogueNotFoundError } from "./errors";

// VIP tiers: create, change and delete. Every write moves the members whose standing now earns
// another tier, in the same transaction as the write (each move a TierChange with its activity line
// and customer.tier_upgrade / tier_downgrade event, through the ledger's recomputeMemberTier), so no
// one ever sees tiers and members disagree. Standings themselves do not change here.

const MEMBER_BATCH = 500;
/** Beyond any standing: a tier about to be deleted is moved here so that its members move down. */
const OUT_OF_REACH = BigInt(Number.MAX_SAFE_INTEGER);

async function requireTier(tx: Tx | Database, shopId: string, id: string) {
  const tier = await tx.vipTier.findFirst({ where: { id, shopId } });
  if (!tier) throw new CatalogueNotFoundError("VIP tier", id);
  return tier;
}

/** One tier of the shop, or 404. */
export const findVipTier = (db: Database, shopId: string, id: string) => requireTier(db, shopId, id);

/** 409 when another tier of the shop has the name (any case) or the threshold. */
async function requireUnique(tx: Tx, shopId: string, exceptId: string | null, name?: string, threshold?: bigint) {
  const tiers = await tx.vipTier.findMany({ where: { shopId } });
  for (const tier of tiers) {
    if (tier.id === exceptId) continue;
    if (name !== undefined && tier.name.toLowerCase() === name.toLowerCase()) {
      throw new CatalogueConflictError(`name: the VIP tier ${tier.id} is already called "${tier.name}"`);
    }
    if (threshold !== undefined && tier.threshold === threshold) {
      throw new CatalogueConflictError(
        `points_required: the VIP tier "${tier.name}" (${tier.id}) already starts there; two tiers cannot share a threshold`,
      );
    }
  }
}

/**
 * Puts every member of the shop on the tier their standing earns under the tiers as they now are.
 * Only members whose tier changes are locked and written. Returns how many moved.
 */
async function moveMembers(tx: Tx, shopId: string, reason: string, actor: string) {
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { tierBasis: true } });
  const tiers = await tx.vipTier.findMany({ where: { shopId } });
  let moved = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await tx.customer.findMany({
      where: { shopId },
      select: { id: true, vipTierId: true, lifetimeCenti: true, lifetimeSpendMinor: true },
      orderBy: { id: "asc" },
      take: MEMBER_BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (batch.length === 0) return moved;
    for (const member of batch) {
      const target = evaluateTier(tiers, standingOf(member, shop.tierBasis))?.id ?? null;
      if (target === member.vipTierId) continue;
      const locked = await tx.customer.update({ where: { id: member.id }, data: { ledgerVersion: { increment: 1 } } });
      const after = await recomputeMemberTier(tx, locked, reason, actor);
      if (after.vipTierId !== locked.vipTierId) moved++;
    }
    cursor = batch.at(-1)?.id;
  }
}

const tierData = (a: VipTierAttributes) => ({
  ...(a.name !== undefined ? { name: a.name } : {}),
  ...(a.description !== undefined ? { description: a.description } : {}),
  ...(a.points_required !== undefined ? { threshold: a.points_required } : {}),
  ...(a.points_multiplier !== undefined ? { multiplierBp: a.points_multiplier } : {}),
  ...(a.badge_image_url !== undefined ? { badgeImageUrl: a.badge_image_url } : {}),
  ...(a.badge_color !== undefined ? { badgeColor: a.badge_color } : {}),
});

export async function createVipTier(
  db: Database,
  input: { shopId: string; actor: string; attributes: VipTierAttributes },
) {
  return inTransaction(db, async (tx) => {
    await lockShopRow(tx, input.shopId); // names and thresholds are unique per shop
    const data = tierData(input.attributes);
    await requireUnique(tx, input.shopId, null, data.name, data.threshold);
    const tier = await tx.vipTier.create({
      data: { ...(data as { name: string; threshold: bigint }), shopId: input.shopId },
    });
    const moved = await moveMembers(tx, input.shopId, `VIP tier "${tier.name}" created`, input.actor);
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "vip_tier",
      change: "created",
      id: tier.id,
      name: tier.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
      extra: { membersMoved: moved },
    });
    return { tier, moved };
  });
}

/** Changes the attributes given; members move at once when the threshold changed. */
export async function updateVipTier(
  db: Database,
  input: { shopId: string; id: string; actor: string; attributes: VipTierAttributes },
) {
  return inTransaction(db, async (tx) => {
    await lockShopRow(tx, input.shopId); // names and thresholds are unique per shop
    const current = await requireTier(tx, input.shopId, input.id);
    const data = tierData(input.attributes);
    await requireUnique(tx, input.shopId, current.id, data.name, data.threshold);
    const tier = await tx.vipTier.update({ where: { id: current.id }, data });
    const moved = await moveMembers(tx, input.shopId, `VIP tier "${tier.name}" changed`, input.actor);
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "vip_tier",
      change: "updated",
      id: tier.id,
      name: tier.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
      extra: { membersMoved: moved },
    });
    return { tier, moved };
  });
}

/**
 * Deletes a tier: its members move down to the tier below (or none) first, each move recorded. A
 * tier that live rewards are reserved for cannot go (409): those rewards would open to everyone.
 */
export async function deleteVipTier(db: Database, input: { shopId: string; id: string; actor: string }) {
  return inTransaction(db, async (tx) => {
    await lockShopRow(tx, input.shopId); // names and thresholds are unique per shop
    const current = await requireTier(tx, input.shopId, input.id);
    const exclusive = await tx.reward.findMany({
      where: { shopId: input.shopId, vipTierId: current.id, deletedAt: null },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 10,
    });
    if (exclusive.length > 0) {
      throw new CatalogueConflictError(
        `VIP tier "${current.name}" has exclusive rewards (${exclusive.map((r) => r.id).join(", ")}); ` +
          "give them another vip_tier_id or delete them first",
      );
    }
    // Out of reach, the tier earns no one: its members are moved down by the same code as any move.
    await tx.vipTier.update({ where: { id: current.id }, data: { threshold: OUT_OF_REACH } });
    const moved = await moveMembers(tx, input.shopId, `VIP tier "${current.name}" deleted`, input.actor);
    await tx.vipTier.delete({ where: { id: current.id } });
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "vip_tier",
      change: "deleted",
      id: current.id,
      name: current.name,
      actor: input.actor,
      extra: { membersMoved: moved },
    });
    return { moved };
  });
}

/** members_count and exclusive_reward_ids of the given tiers. */
export async function tierExtras(db: Database, shopId: string, tierIds: string[]) {
  const [counts, rewards] = await Promise.all([
    db.customer.groupBy({ by: ["vipTierId"], where: { shopId, vipTierId: { in: tierIds } }, _count: { _all: true } }),
    db.reward.findMany({
      where: { shopId, vipTierId: { in: tierIds }, deletedAt: null },
      select: { id: true, vipTierId: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  ]);
  return (id: string) => ({
    membersCount: counts.find((row) => row.vipTierId === id)?._count._all ?? 0,
    exclusiveRewardIds: rewards.filter((reward) => reward.vipTierId === id).map((reward) => reward.id),
  });
}

/** What the shop's catalogue amounts are in: its currency and what tier thresholds measure. */
export async function catalogueSettings(db: Database, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currencyCode: true, tierBasis: true },
  });
  return { currency: shop.currencyCode, basis: shop.tierBasis };
}
