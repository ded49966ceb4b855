import { recordSideEffects } from "~/modules/ledger/records.server";
import type { Tx } from "~/modules/ledger/transaction.server";

export type CatalogueKind = "earning_rule" | "reward" | "vip_tier";

const LABELS: Record<CatalogueKind, string> = {
  earning_rule: "Earning rule",
  reward: "Reward",
  vip_tier: "VIP tier",
};

/**
 * The activity line of a catalogue change (who did what to which rule, reward or tier) and the
 * program.sync event that republishes the storefront's program metafield, written in the
 * transaction of the change, the way the ledger records its side effects.
 */
export async function recordCatalogueChange(
  tx: Tx,
  input: {
    shopId: string;
    kind: CatalogueKind;
    change: "created" | "updated" | "deleted";
    id: string;
    name: string;
    actor: string;
    /** The attributes the request set. */
    attributes?: string[];
    extra?: Record<string, unknown>;
  },
) {
  const changed = input.change === "updated" && input.attributes?.length ? ` (${input.attributes.join(", ")})` : "";
  await recordSideEffects(tx, {
    shopId: input.shopId,
    memberId: null,
    activity: {
      type: `${input.kind}_${input.change}`,
      message: `${LABELS[input.kind]} "${input.name}" ${input.change}${changed}`,
      actor: input.actor,
      data: { id: input.id, name: input.name, attributes: input.attributes ?? [], ...input.extra },
    },
    // The storefront reads the program from the shop metafield: the worker republishes it.
    events: [{ topic: "program.sync", payload: { shopId: input.shopId } }],
  });
}
