import { apiRoute, readJsonObject } from "~/lib/api.server";
import { DISCOUNT_TYPES, readRewardAttributes, rewardResource } from "~/modules/api/mage-catalogue";
import { booleanFilter, collection, enumFilter, parsePage, parseSort } from "~/modules/api/mage-paging";
import { createReward } from "~/modules/catalogue/rewards.server";
import { catalogueSettings } from "~/modules/catalogue/vip-tiers.server";

// GET /api/v1/rewards — the shop's live rewards, paged; POST creates one.
const SORT = { created_at: "createdAt", name: "name", points_cost: "pointsCostCenti" };

export const action = apiRoute("mage", {
  GET: async ({ request, db, shopId }) => {
    const url = new URL(request.url);
    const page = parsePage(url);
    const orderBy = parseSort(url, SORT, "created_at");
    const isActive = booleanFilter(url, "is_active");
    const discountType = enumFilter(url, "discount_type", DISCOUNT_TYPES);
    const where = {
      shopId,
      deletedAt: null,
      ...(isActive === undefined ? {} : { isActive }),
      ...(discountType === undefined ? {} : { discountType }),
    };
    const [{ currency }, rewards, total] = await Promise.all([
      catalogueSettings(db, shopId),
      db.reward.findMany({ where, orderBy, skip: page.skip, take: page.take }),
      db.reward.count({ where }),
    ]);
    return Response.json(
      collection(
        url,
        page,
        rewards.map((reward) => rewardResource(reward, currency)),
        total,
      ),
    );
  },
  POST: async ({ request, db, shopId, actor }) => {
    const { currency } = await catalogueSettings(db, shopId);
    const attributes = readRewardAttributes(await readJsonObject(request), currency);
    const reward = await createReward(db, { shopId, currency, actor, attributes });
    return Response.json(
      { data: rewardResource(reward, currency) },
      { status: 201, headers: { Location: `/api/v1/rewards/${reward.id}` } },
    );
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
