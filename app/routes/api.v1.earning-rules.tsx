import { apiRoute, readJsonObject } from "~/lib/api.server";
import { EARNING_RULE_CATEGORIES, earningRuleResource, readEarningRuleAttributes } from "~/modules/api/mage-catalogue";
import { booleanFilter, collection, enumFilter, parsePage, parseSort } from "~/modules/api/mage-paging";
import { createEarningRule } from "~/modules/catalogue/earning-rules.server";

// GET /api/v1/earning-rules — the shop's live earning rules, paged; POST creates one.
const SORT = { created_at: "createdAt", name: "name", points_to_give: "pointsCenti" };

export const action = apiRoute("mage", {
  GET: async ({ request, db, shopId }) => {
    const url = new URL(request.url);
    const page = parsePage(url);
    const orderBy = parseSort(url, SORT, "created_at");
    const isActive = booleanFilter(url, "is_active");
    const category = enumFilter(url, "category", EARNING_RULE_CATEGORIES);
    const where = {
      shopId,
      deletedAt: null,
      ...(isActive === undefined ? {} : { isActive }),
      ...(category === undefined ? {} : { category }),
    };
    const [rules, total] = await Promise.all([
      db.earningRule.findMany({ where, orderBy, skip: page.skip, take: page.take }),
      db.earningRule.count({ where }),
    ]);
    return Response.json(collection(url, page, rules.map(earningRuleResource), total));
  },
  POST: async ({ request, db, shopId, actor }) => {
    const attributes = readEarningRuleAttributes(await readJsonObject(request));
    const rule = await createEarningRule(db, { shopId, actor, attributes });
    return Response.json(
      { data: earningRuleResource(rule) },
      { status: 201, headers: { Location: `/api/v1/earning-rules/${rule.id}` } },
    );
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
