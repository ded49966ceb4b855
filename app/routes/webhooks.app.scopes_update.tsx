import { z } from "zod";

import { database } from "~/db.server";
import { webhookAction } from "~/lib/webhooks.server";

const payload = z.object({ current: z.array(z.string()) });

export const action = webhookAction("app/scopes_update", async ({ session, payload: body }) => {
  if (!session) return;
  const { current } = payload.parse(body);
  await database().session.update({ where: { id: session.id }, data: { scope: current.join(",") } });
});
