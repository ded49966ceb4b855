import { z } from "zod";

import { ApiProblem, apiRoute, describeZodError, readJsonObject } from "~/lib/api.server";
import { birthDateProblem } from "~/modules/api/appstle-customers.server";
import {
  calendarDateProblem,
  CUSTOMER_READ_ONLY_ATTRIBUTES,
  customerResource,
  updateMemberDates,
} from "~/modules/api/mage";
import { jsonApiAttributes } from "~/modules/api/mage-body";
import { memberBalances, MemberNotFoundError, findMember, requireMember, setMemberStatus } from "~/modules/ledger";

// GET /api/v1/customers/{identifier} — one member by Shopify customer ID or email.
// PUT /api/v1/customers/{identifier} — update date_of_birth, anniversary_date and is_excluded.

const dateField = (check: (value: string) => string | null) =>
  z
    .string({ error: "must be a date written YYYY-MM-DD, or null" })
    .superRefine((value, context) => {
      const problem = check(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .nullable()
    .optional();

const writable = z.object({
  date_of_birth: dateField((value) => birthDateProblem(value)),
  anniversary_date: dateField(calendarDateProblem),
  is_excluded: z.boolean({ error: "must be true or false" }).optional(),
});

const readOnly = new Set<string>(CUSTOMER_READ_ONLY_ATTRIBUTES);

export const action = apiRoute("mage", {
  GET: async ({ params, db, shopId }) => {
    // Remix has decoded the path already: "%" in an email is just a character here.
    const identifier = params.identifier ?? "";
    const member = await findMember(db, shopId, identifier);
    if (!member) throw new MemberNotFoundError(identifier);
    return Response.json({ data: customerResource(await memberBalances(db, member.id)) });
  },
  PUT: async ({ request, params, db, shopId, actor }) => {
    const identifier = params.identifier ?? "";
    const body = await readJsonObject(request);
    const member = await requireMember(db, shopId, identifier);
    const attributes = jsonApiAttributes(body, { type: "customer", id: member.shopifyCustomerId ?? member.id });
    // What GET answered can be sent back as it is: its read-only attributes are ignored.
    const unknown = Object.keys(attributes).filter(
      (name) => !readOnly.has(name) && !Object.hasOwn(writable.shape, name),
    );
    if (unknown.length > 0) {
      throw new ApiProblem(
        400,
        `${unknown.map((name) => name.slice(0, 100)).join(", ")}: not an attribute that can be written; ` +
          "use date_of_birth, anniversary_date or is_excluded",
      );
    }
    const parsed = writable.safeParse(
      Object.fromEntries(Object.entries(attributes).filter(([name]) => !readOnly.has(name))),
    );
    if (!parsed.success) throw new ApiProblem(400, describeZodError(parsed.error));
    const { date_of_birth: dateOfBirth, anniversary_date: anniversaryDate, is_excluded: isExcluded } = parsed.data;
    if (isExcluded === false && member.status === "excluded_by_customer") {
      throw new ApiProblem(
        422,
        "is_excluded: this customer opted out of the loyalty program themselves; only they can rejoin",
      );
    }
    await updateMemberDates(db, { shopId, identifier, dateOfBirth, anniversaryDate, actor });
    // An opted-out customer is excluded already: is_excluded true leaves their own choice as it is.
    if (isExcluded !== undefined && isExcluded !== (member.status !== "active")) {
      await setMemberStatus(db, { shopId, identifier, status: isExcluded ? "excluded" : "active", actor });
    }
    return Response.json({ data: customerResource(await memberBalances(db, member.id)) });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
