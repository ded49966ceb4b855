import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";
import { recordUninstallation } from "~/modules/shops/shops.server";

export const action = webhookAction("app/uninstalled", ({ shop }) => recordUninstallation(database(), shop));
