import type { WebhookSubscription } from "./webhook-subscriptions.server";

/**
 * The JSON:API `webhook_subscription` resource. `secret` is added only by the two answers that make
 * one (create and rotate-secret); everywhere else the secret_hint tells secrets apart.
 */
export function webhookSubscriptionResource(subscription: WebhookSubscription, secret?: string) {
  return {
    type: "webhook_subscription",
    id: subscription.id,
    attributes: {
      url: subscription.url,
      events: subscription.events,
      description: subscription.description,
      is_active: subscription.isActive,
      secret_hint: subscription.secretHint,
      created_at: subscription.createdAt.toISOString(),
      updated_at: subscription.updatedAt.toISOString(),
      ...(secret === undefined ? {} : { secret }),
    },
  };
}
