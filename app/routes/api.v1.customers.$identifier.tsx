import { apiRoute } from "~/lib/api.server";
import { customerResource } from "~/modules/api/mage";
import { memberBalances, MemberNotFoundError, findMember } from "~/modules/ledger";

// GET /api/v1/customers/{identifier} — one member by Shopify customer ID or email.
export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    const identifier = decodeURIComponent(params.identifier ?? "");
    const member = await findMember(db, shopId, identifier);
    if (!member) throw new MemberNotFoundError(identifier);
    return Response.json({ data: customerResource(await memberBalances(db, member.id)) });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
