import { webhookAction } from "~/lib/webhooks.server";

// Verified, stored in the inbox and acknowledged; the worker handles it (app/modules/webhooks/registry.server.ts).
export const action = webhookAction("app/scopes_update");
