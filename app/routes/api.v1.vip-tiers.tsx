import { apiRoute, readJsonObject } from "~/lib/api.server";
import { readVipTierAttributes, vipTierResource } from "~/modules/api/mage-catalogue";
import { collection, MAX_PAGE_SIZE, parsePage } from "~/modules/api/mage-paging";
import { catalogueSettings, createVipTier, tierExtras } from "~/modules/catalogue/vip-tiers.server";

// GET /api/v1/vip-tiers — every tier of the shop, lowest threshold first (one page of up to 100
// unless page[…] asks otherwise); POST creates one and moves members onto it at once.
export const action = apiRoute("mage", {
  GET: async ({ request, db, shopId }) => {
    const url = new URL(request.url);
    const paged = url.searchParams.has("page[number]") || url.searchParams.has("page[size]");
    const page = paged ? parsePage(url) : { number: 1, size: MAX_PAGE_SIZE, skip: 0, take: MAX_PAGE_SIZE };
    const context = await catalogueSettings(db, shopId);
    const [tiers, total] = await Promise.all([
      db.vipTier.findMany({
        where: { shopId },
        orderBy: [{ threshold: "asc" }, { id: "asc" }],
        skip: page.skip,
        take: page.take,
      }),
      db.vipTier.count({ where: { shopId } }),
    ]);
    const extras = await tierExtras(
      db,
      shopId,
      tiers.map((tier) => tier.id),
    );
    return Response.json(
      collection(
        url,
        page,
        tiers.map((tier) => vipTierResource(tier, context, extras(tier.id))),
        total,
      ),
    );
  },
  POST: async ({ request, db, shopId, actor }) => {
    const context = await catalogueSettings(db, shopId);
    const attributes = readVipTierAttributes(await readJsonObject(request), context);
    const { tier } = await createVipTier(db, { shopId, actor, attributes });
    const extras = await tierExtras(db, shopId, [tier.id]);
    return Response.json(
      { data: vipTierResource(tier, context, extras(tier.id)) },
      { status: 201, headers: { Location: `/api/v1/vip-tiers/${tier.id}` } },
    );
  },
});

// Every other method goes through the same dispatcher (405 with Allow).
export const loader = action;
