import type { Database } from "~/db.server";
import type { EarningRuleAttributes } from "~/modules/api/mage-catalogue";
import { inTransaction, type Tx } from "~/modules/ledger/transaction.server";

import { recordCatalogueChange } from "./activity.server";
import { CatalogueInputError, CatalogueNotFoundError } from "./errors";

// Earning rules: create, change and (softly) delete. A deleted rule keeps its row, so the lots it
// earned still name it; awarding it answers 404 from then on.

const PURCHASE_ONLY = ["points_per_currency_unit", "rounding", "include_shipping", "include_tax"] as const;

type RuleRow = NonNullable<Awaited<ReturnType<Tx["earningRule"]["findFirst"]>>>;

/** The columns a write sets, from the request's attributes and the rule as it is (null: a new rule). */
function ruleData(current: RuleRow | null, a: EarningRuleAttributes) {
  const problems: string[] = [];
  const category = a.category ?? current?.category ?? "";
  const purchase = category === "purchase";
  const data: Record<string, unknown> = {};
  if (a.name !== undefined) data.name = a.name;
  if (a.description !== undefined) data.description = a.description;
  if (a.action !== undefined) data.action = a.action;
  if (a.category !== undefined) data.category = a.category;
  if (a.is_active !== undefined) data.isActive = a.is_active;
  if (a.customer_facing_label !== undefined) data.customerFacingLabel = a.customer_facing_label;
  if (a.call_to_action_url !== undefined) data.callToActionUrl = a.call_to_action_url;
  if (a.approval_time !== undefined) data.approvalDays = a.approval_time;
  if (a.once_per_member !== undefined) data.oncePerMember = a.once_per_member;

  if (purchase) {
    // Purchase rules earn per unit of spend; a fixed award would never be used.
    if (a.points_to_give !== undefined && a.points_to_give !== 0n) {
      problems.push(
        "points_to_give: purchase rules earn points_per_currency_unit per unit of spend; leave it out or 0",
      );
    }
    data.pointsCenti = 0n;
    const perUnit =
      a.points_per_currency_unit !== undefined ? a.points_per_currency_unit : (current?.pointsPerUnitCenti ?? null);
    if (perUnit === null) problems.push("points_per_currency_unit: is required for purchase rules");
    data.pointsPerUnitCenti = perUnit;
    if (a.rounding !== undefined) data.rounding = a.rounding;
    if (a.include_shipping !== undefined) data.includeShipping = a.include_shipping;
    if (a.include_tax !== undefined) data.includeTax = a.include_tax;
  } else {
    for (const name of PURCHASE_ONLY) {
      if (a[name] !== undefined && a[name] !== null) {
        problems.push(`${name}: only purchase rules take it (this rule's category is ${category})`);
      }
    }
    const pointsCenti = a.points_to_give ?? current?.pointsCenti ?? 0n;
    if (pointsCenti <= 0n) problems.push(`points_to_give: is required and must be above 0 for ${category} rules`);
    data.pointsCenti = pointsCenti;
    Object.assign(data, { pointsPerUnitCenti: null, rounding: "down", includeShipping: false, includeTax: false });
  }
  if (problems.length > 0) throw new CatalogueInputError(problems);
  return data;
}

async function requireRule(tx: Tx | Database, shopId: string, id: string) {
  const rule = await tx.earningRule.findFirst({ where: { id, shopId, deletedAt: null } });
  if (!rule) throw new CatalogueNotFoundError("Earning rule", id);
  return rule;
}

/** One live (not deleted) rule of the shop, or 404. */
export const findEarningRule = (db: Database, shopId: string, id: string) => requireRule(db, shopId, id);

export async function createEarningRule(
  db: Database,
  input: { shopId: string; actor: string; attributes: EarningRuleAttributes },
) {
  return inTransaction(db, async (tx) => {
    const data = ruleData(null, input.attributes);
    const rule = await tx.earningRule.create({
      data: { ...(data as { name: string; category: string; action: string }), shopId: input.shopId },
    });
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "earning_rule",
      change: "created",
      id: rule.id,
      name: rule.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
    });
    return rule;
  });
}

/** Changes the attributes given and keeps the rest (a partial update). */
export async function updateEarningRule(
  db: Database,
  input: { shopId: string; id: string; actor: string; attributes: EarningRuleAttributes },
) {
  return inTransaction(db, async (tx) => {
    const current = await requireRule(tx, input.shopId, input.id);
    const data = ruleData(current, input.attributes);
    const rule = await tx.earningRule.update({ where: { id: current.id }, data });
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "earning_rule",
      change: "updated",
      id: rule.id,
      name: rule.name,
      actor: input.actor,
      attributes: Object.keys(input.attributes),
    });
    return rule;
  });
}

/** Soft delete: the rule disappears from the API and can no longer be earned; its history stays. */
export async function deleteEarningRule(db: Database, input: { shopId: string; id: string; actor: string }) {
  return inTransaction(db, async (tx) => {
    const current = await requireRule(tx, input.shopId, input.id);
    const { count } = await tx.earningRule.updateMany({
      where: { id: current.id, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    if (count === 0) throw new CatalogueNotFoundError("Earning rule", input.id);
    await recordCatalogueChange(tx, {
      shopId: input.shopId,
      kind: "earning_rule",
      change: "deleted",
      id: current.id,
      name: current.name,
      actor: input.actor,
    });
  });
}
