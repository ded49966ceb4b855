import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";
import { redactShop } from "~/modules/shops/shops.server";

// Compliance: 48 hours after uninstall, everything of the shop is deleted.
export const action = webhookAction("shop/redact", ({ shop }) => redactShop(database(), shop));
