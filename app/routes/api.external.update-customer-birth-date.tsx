import { z } from "zod";

import { apiRoute, readJsonObject } from "~/lib/api.server";
import { birthDateProblem, setMemberBirthDate } from "~/modules/api/appstle-customers.server";
import {
  customerFields,
  customerIdentifier,
  customerLoyalty,
  validate,
  withOneCustomer,
} from "~/modules/api/appstle.server";

// PUT /api/external/update-customer-birth-date — `{customerId | customerEmail, dob: "YYYY-MM-DD"}`
// sets the customer's birth date and answers the loyalty object.
const body = withOneCustomer({
  ...customerFields,
  dob: z
    .string({ error: "must be a date written YYYY-MM-DD" })
    .trim()
    .superRefine((dob, context) => {
      const problem = birthDateProblem(dob);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
});

export const action = apiRoute("appstle", {
  PUT: async ({ request, db, shopId, actor }) => {
    const input = validate(body, await readJsonObject(request));
    const member = await setMemberBirthDate(db, {
      shopId,
      identifier: customerIdentifier(input),
      dateOfBirth: input.dob,
      actor,
    });
    return Response.json(await customerLoyalty(db, member.id));
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
