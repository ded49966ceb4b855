import { apiRoute, readJsonObject } from "~/lib/api.server";
import { readVipTierAttributes, vipTierResource } from "~/modules/api/mage-catalogue";
import {
  catalogueSettings,
  deleteVipTier,
  findVipTier,
  tierExtras,
  updateVipTier,
} from "~/modules/catalogue/vip-tiers.server";

// GET / PUT / DELETE /api/v1/vip-tiers/{id} — one tier; a change or deletion moves members at once.
export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    const tier = await findVipTier(db, shopId, params.id ?? "");
    const [context, extras] = await Promise.all([catalogueSettings(db, shopId), tierExtras(db, shopId, [tier.id])]);
    return Response.json({ data: vipTierResource(tier, context, extras(tier.id)) });
  },
  PUT: async ({ request, params, db, shopId, actor }) => {
    const id = params.id ?? "";
    await findVipTier(db, shopId, id);
    const context = await catalogueSettings(db, shopId);
    const attributes = readVipTierAttributes(await readJsonObject(request), context, id);
    const { tier } = await updateVipTier(db, { shopId, id, actor, attributes });
    const extras = await tierExtras(db, shopId, [tier.id]);
    return Response.json({ data: vipTierResource(tier, context, extras(tier.id)) });
  },
  DELETE: async ({ params, db, shopId, actor }) => {
    await deleteVipTier(db, { shopId, id: params.id ?? "", actor });
    return new Response(null, { status: 204 });
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
