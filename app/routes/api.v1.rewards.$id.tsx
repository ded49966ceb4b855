import { apiRoute, readJsonObject } from "~/lib/api.server";
import { readRewardAttributes, rewardResource } from "~/modules/api/mage-catalogue";
import { deleteReward, findReward, updateReward } from "~/modules/catalogue/rewards.server";
import { catalogueSettings } from "~/modules/catalogue/vip-tiers.server";

// GET / PUT / DELETE /api/v1/rewards/{id} — one live reward of the shop.
export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    const reward = await findReward(db, shopId, params.id ?? "");
    const { currency } = await catalogueSettings(db, shopId);
    return Response.json({ data: rewardResource(reward, currency) });
  },
  PUT: async ({ request, params, db, shopId, actor }) => {
    const id = params.id ?? "";
    await findReward(db, shopId, id);
    const { currency } = await catalogueSettings(db, shopId);
    const attributes = readRewardAttributes(await readJsonObject(request), currency, id);
    const reward = await updateReward(db, { shopId, id, currency, actor, attributes });
    return Response.json({ data: rewardResource(reward, currency) });
  },
  DELETE: async ({ params, db, shopId, actor }) => {
    await deleteReward(db, { shopId, id: params.id ?? "", actor });
    return new Response(null, { status: 204 });
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
