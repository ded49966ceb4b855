import type { Database } from "~/db.server";
import { resumeInterruptedPurchases } from "~/modules/rewards/recovery.server";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";

import { forEachInstalledShop, type JobOptions } from "./common.server";

/** A reservation is resumed once it has waited this long (more than the discount timeout). */
export const RECOVERY_GRACE_MS = 2 * 60_000;

/**
 * Resumes the purchases of every installed shop interrupted between reserving points and getting
 * their discount (resumeInterruptedPurchases claims each one, so two workers never resume the same).
 */
export async function runPurchaseRecovery(
  db: Database,
  options: JobOptions & { graphqlFor?: (shopDomain: string) => Promise<AdminGraphql> } = {},
) {
  const now = options.now ?? new Date();
  const olderThan = new Date(now.getTime() - RECOVERY_GRACE_MS);
  const outcomes: Record<string, number> = {};
  const { shops, failed } = await forEachInstalledShop(db, "purchase-recovery", options, async (shop) => {
    const results = await resumeInterruptedPurchases(db, {
      shopId: shop.id,
      olderThan,
      limit: 50,
      ...(options.graphqlFor ? { graphqlFor: options.graphqlFor } : {}),
    });
    for (const { outcome } of results) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  return { shops, failed, outcomes };
}
