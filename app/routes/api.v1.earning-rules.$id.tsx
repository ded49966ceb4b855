import { apiRoute, readJsonObject } from "~/lib/api.server";
import { earningRuleResource, readEarningRuleAttributes } from "~/modules/api/mage-catalogue";
import { deleteEarningRule, findEarningRule, updateEarningRule } from "~/modules/catalogue/earning-rules.server";

// GET / PUT / DELETE /api/v1/earning-rules/{id} — one live earning rule of the shop.
export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    return Response.json({ data: earningRuleResource(await findEarningRule(db, shopId, params.id ?? "")) });
  },
  PUT: async ({ request, params, db, shopId, actor }) => {
    const id = params.id ?? "";
    await findEarningRule(db, shopId, id);
    const attributes = readEarningRuleAttributes(await readJsonObject(request), id);
    const rule = await updateEarningRule(db, { shopId, id, actor, attributes });
    return Response.json({ data: earningRuleResource(rule) });
  },
  DELETE: async ({ params, db, shopId, actor }) => {
    await deleteEarningRule(db, { shopId, id: params.id ?? "", actor });
    return new Response(null, { status: 204 });
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
