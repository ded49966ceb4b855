import { serializeResult } from "./serialize";
import type { Tx } from "./transaction.server";

/** The outbox topics the ledger records; delivery (workers, integrations) is elsewhere. */
export type OutboxTopic =
  | "member.sync"
  | "points.earned"
  | "points.redeemed"
  | "points.expired"
  | "points.adjusted"
  | "points.refunded"
  | "points.reversed"
  | "reward.refunded"
  | "customer.tier_upgrade"
  | "customer.tier_downgrade"
  // The shop's public program (rules, rewards, tiers) changed: its $app:program metafield is stale.
  | "program.sync";

export interface Activity {
  type: string;
  message: string;
  actor: string;
  data?: unknown;
}

/**
 * Writes, inside the ledger's transaction, the activity line a merchant reads and the outbox events
 * for the side effects (metafields, Klaviyo / Omnisend / Postscript, outbound webhooks). A member
 * whose balances changed always gets a member.sync event.
 */
export async function recordSideEffects(
  tx: Tx,
  input: {
    shopId: string;
    memberId: string | null;
    activity: Activity;
    events: { topic: OutboxTopic; payload: unknown }[];
  },
) {
  await tx.activityLog.create({
    data: {
      shopId: input.shopId,
      memberId: input.memberId,
      type: input.activity.type,
      message: input.activity.message,
      actor: input.activity.actor,
      data: input.activity.data === undefined ? null : serializeResult(input.activity.data),
    },
  });
  if (input.events.length > 0) {
    await tx.outboxEvent.createMany({
      data: input.events.map((event) => ({
        shopId: input.shopId,
        memberId: input.memberId,
        topic: event.topic,
        payload: serializeResult(event.payload),
      })),
    });
  }
}
