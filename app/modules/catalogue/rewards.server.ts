import type { Database } from "~/db.server";
import { ApiProblem } from "~/lib/api-problem";
import { readDiscountAmount, type RewardAttributes } from "~/modules/api/mage-catalogue";
import { inTransaction, type Tx } from "~/modules/ledger/transaction.server";

import { recordCatalogueChange } from "./activity.server";
import { CatalogueInputError, CatalogueNotFoundError } from "./errors";

// Rewards: create, change and (softly) delete. A deleted reward keeps its row, so the rewards
// members bought still point at it; buying it answers 404 from then on.

type RewardRow = NonNullable<Awaited<ReturnType<Tx["reward"]["findFirst"]>>>;

/** What discount_amount measures for a discount type. */
const amountKind = (discountType: string) =>
  discountType === "fixed_amount" || discountType === "store_credit"
    ? "money"
    : discountType === "percentage"
      ? "percent"
      : "none";

const VARIABLE_ONLY = ["points_per_currency_unit", "min_points", "max_points"] as const;

/** The columns a write sets, from the request's attributes and the reward as it is (null: a new one). */
async function rewardData(tx: Tx, shopId: string, currency: string, current: RewardRow | null, a: RewardAttributes) {
  const problems: string[] = [];
  const discountType = a.discount_type ?? current?.discountType ?? "";
  const variable = a.reward_type !== undefined ? a.reward_type === "variable" : (current?.isVariable ?? false);
  const data: Record<string, unknown> = { discountType, isVariable: variable };
  if (a.name !== undefined) data.name = a.name;
  if (a.description !== undefined) data.description = a.description;
  if (a.is_active !== undefined) data.isActive = a.is_active;
  if (a.minimum_spend !== undefined) data.minimumSpendMinor = a.minimum_spend;
  if (a.max_redemptions !== undefined) data.maxRedemptions = a.max_redemptions;
  if (a.expiry_days !== undefined) data.expiryDays = a.expiry_days;
  if (a.combines_with?.order !== undefined) data.combinesWithOrder = a.combines_with.order;
  if (a.combines_with?.product !== undefined) data.combinesWithProduct = a.combines_with.product;
  if (a.combines_with?.shipping !== undefined) data.combinesWithShipping = a.combines_with.shipping;

  // What it costs: a fixed number of points, or points per unit of value between min and max.
  if (variable) {
    if (amountKind(discountType) !== "money") {
      problems.push(`reward_type: variable rewards must be fixed_amount or store_credit, not ${discountType}`);
    }
    if (a.points_cost !== undefined && a.points_cost !== null) {
      problems.push("points_cost: a variable reward costs what the customer chooses; set points_per_currency_unit");
    }
    data.pointsCostCenti = null;
    const pick = (given: bigint | null | undefined, stored: bigint | null | undefined) =>
      given !== undefined ? given : (stored ?? null);
    const perUnit = pick(a.points_per_currency_unit, current?.pointsPerUnitCenti);
    const min = pick(a.min_points, current?.minPointsCenti);
    const max = pick(a.max_points, current?.maxPointsCenti);
    if (perUnit === null) problems.push("points_per_currency_unit: is required for variable rewards");
    if (min !== null && max !== null && min > max) problems.push("min_points: must not be above max_points");
    Object.assign(data, { pointsPerUnitCenti: perUnit, minPointsCenti: min, maxPointsCenti: max });
  } else {
    for (const name of VARIABLE_ONLY) {
      if (a[name] !== undefined && a[name] !== null) problems.push(`${name}: only variable rewards take it`);
    }
    const cost = a.points_cost !== undefined ? a.points_cost : (current?.pointsCostCenti ?? null);
    if (cost === null) problems.push("points_cost: is required for fixed rewards");
    Object.assign(data, {
      pointsCostCenti: cost,
      pointsPerUnitCenti: null,
      minPointsCenti: null,
      maxPointsCenti: null,
    });
  }

  // What it is worth: money, a percentage, or nothing to state (free shipping or product).
  const kind = amountKind(discountType);
  const keeps = current !== null && amountKind(current.discountType) === kind && !variable && !current.isVariable;
  let amountMinor = keeps ? current.discountAmountMinor : null;
  let percentBp = keeps ? current.discountPercentBp : null;
  if (a.discount_amount !== undefined && a.discount_amount !== null) {
    if (kind === "none") problems.push(`discount_amount: ${discountType} rewards take no discount_amount`);
    else if (variable) {
      problems.push(
        "discount_amount: a variable reward is worth 1 unit per points_per_currency_unit points; leave it out",
      );
    } else {
      try {
        const parsed = readDiscountAmount(a.discount_amount, discountType, currency);
        amountMinor = parsed.amountMinor ?? null;
        percentBp = parsed.percentBp ?? null;
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        problems.push(error.message);
      }
    }
  } else if (a.discount_amount === null) {
    amountMinor = null;
    percentBp = null;
  }
  if (!variable && kind === "money" && amountMinor === null) {
    problems.push(`discount_amount: is required for ${discountType} rewards (an amount of ${currency})`);
  }
  if (kind === "percent" && percentBp === null) {
    problems.push("discount_amount: is required for percentage rewards (a percentage above 0, at most 100)");
  }
  data.discountAmountMinor = kind === "money" && !variable ? amountMinor : null;
  data.discountPercentBp = kind === "percent" ? percentBp : null;

  const variant =
    a.free_product_variant_id !== undefined ? a.free_product_variant_id : (current?.freeProductVariantId ?? null);
  if (discountType === "free_product") {
    if (variant === null) problems.push("free_product_variant_id: is required for free_product rewards");
    data.freeProductVariantId = variant;
  } else {
    if (a.free_product_variant_id) problems.push("free_product_variant_id: only free_product rewards take it");
    data.freeProductVariantId = null;
  }

  if (a.vip_tier_id !== undefined) {
    if (a.vip_tier_id !== null && !(await tx.vipTier.findFirst({ where: { id: a.vip_tier_id, shopId } }))) {
      problems.push(`vip_tier_id: this shop has no VIP tier ${a.vip_tier_id}`);
    }
    data.vipTierId = a.vip_tier_id;
  }
  if (problems.length > 0) throw new CatalogueInputError(problems);
  return data;
}

async function requireReward(tx: Tx | Database, shopId: string, id: string) {
  const reward = await tx.reward.findFirst({ where: { id, shopId, deletedAt: null } });
  if (!reward) throw new CatalogueNotFoundError("Reward", id);
  return reward;
}

/** One live (not deleted) reward of the shop, or 404. */
export const findReward = (db: Database, shopId: string, id: string) => requireReward(db, shopId, id);

export async function createReward(
  db: Database,
  input: { shopId: string; currency: string; actor: string; attributes: RewardAttributes },
) {
  return inTransaction(db, async (tx) => {
    const data = await rewardData(tx, input.shopId, input.currency, null, input.attributes);
    const reward = await tx.reward.create({
      data: { ...(data as { name: string; discountType: string }), shopId: input.shopId },
    });
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "reward",
      change: "created",
      id: reward.id,
      name: reward.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
    });
    return reward;
  });
}

/** Changes the attributes given and keeps the rest; members' bought rewards keep their snapshot. */
export async function updateReward(
  db: Database,
  input: { shopId: string; id: string; currency: string; actor: string; attributes: RewardAttributes },
) {
  return inTransaction(db, async (tx) => {
    const current = await requireReward(tx, input.shopId, input.id);
    const data = await rewardData(tx, input.shopId, input.currency, current, input.attributes);
    const reward = await tx.reward.update({ where: { id: current.id }, data });
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "reward",
      change: "updated",
      id: reward.id,
      name: reward.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
    });
    return reward;
  });
}

/** Soft delete: the reward disappears from the API and can no longer be bought; its history stays. */
export async function deleteReward(db: Database, input: { shopId: string; id: string; actor: string }) {
  return inTransaction(db, async (tx) => {
    const current = await requireReward(tx, input.shopId, input.id);
    const { count } = await tx.reward.updateMany({
      where: { id: current.id, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    if (count === 0) throw new CatalogueNotFoundError("Reward", input.id);
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "reward",
      change: "deleted",
      id: current.id,
      name: current.name,
      actor: input.actor,
    });
  });
}
