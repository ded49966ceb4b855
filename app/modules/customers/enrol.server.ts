import type { Database } from "~/db.server";
import { earnFromRule } from "~/modules/ledger/earn.server";

import { type CustomerFacts, upsertMemberFromShopify } from "./customers.server";

/** The occurrence key of the sign-up bonus: once per member and rule, however often enrolment runs. */
export const SIGNUP_OCCURRENCE = "signup";

/**
 * Enrols a Shopify customer of `shopId` (customers/create, or the first paid order of a customer
 * Pointwise has not met yet): the member is created or refreshed, then each of the shop's active
 * sign-up rules (category "signup" or action "create_account") credits its points once through the
 * ledger. A deleted or excluded member earns nothing.
 */
export async function enrolCustomer(
  db: Database,
  shopId: string,
  facts: CustomerFacts,
  options: { actor: string; at: Date },
) {
  const { member, created } = await upsertMemberFromShopify(db, shopId, facts);
  if (member.status !== "active") return { member, created, signupEntries: [] };
  const rules = await db.earningRule.findMany({
    where: {
      shopId,
      isActive: true,
      deletedAt: null,
      OR: [{ category: "signup" }, { action: "create_account" }],
      pointsCenti: { gt: 0n },
    },
    orderBy: { createdAt: "asc" },
  });
  const signupEntries = [];
  for (const rule of rules) {
    const entry = await earnFromRule(db, {
      shopId,
      memberId: member.id,
      ruleId: rule.id,
      occurrence: SIGNUP_OCCURRENCE,
      actor: options.actor,
      at: options.at,
    });
    if (entry) signupEntries.push(entry);
  }
  return { member, created, signupEntries };
}
