import { webhookAction } from "~/lib/webhooks.server";

// Verified and acknowledged; points are earned and reversed from it by the webhook processing of issue 5.
export const action = webhookAction("refunds/create");
