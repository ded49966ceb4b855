import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { birthDateProblem } from "~/modules/api/appstle-customers.server";

import { apiRequest } from "../../helpers/api";
import { createKey, createMember, installShop } from "../../helpers/factories";
import { callRoute } from "../../helpers/routes";

const db = database();
const BIRTH_DATE = "app/routes/api.external.update-customer-birth-date.tsx";
const PATH = "/api/external/update-customer-birth-date";
let shopId: string;
let key: string;
let readKey: string;
let otherShopId: string;

const setBirthDate = (body: unknown, options: Parameters<typeof apiRequest>[2] = {}) =>
  callRoute("action", BIRTH_DATE, apiRequest("PUT", PATH, { key, header: "x-api-key", body, ...options }));

const dateOfBirth = async (memberId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { id: memberId } })).dateOfBirth;

const writes = async () => ({
  activities: await db.activityLog.count(),
  events: await db.outboxEvent.count(),
  withDob: await db.customer.count({ where: { dateOfBirth: { not: null } } }),
});

async function expectProblem(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, path: PATH });
  if (message) expect(body.message).toMatch(message);
}

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("PUT /api/external/update-customer-birth-date", () => {
  beforeAll(async () => {
    shopId = (await installShop(db)).id;
    key = await createKey(db, shopId);
    readKey = await createKey(db, shopId, "read");
    otherShopId = (await installShop(db, { shop: "other-birthday.myshopify.com" })).id;
    // Many quick requests; the rate limit is tested elsewhere.
  });

  it("GIVEN a member WHEN the birth date is set by customerId THEN 200 with dob in the loyalty object, an activity line and a member.sync event", async () => {
    const member = await createMember(db, shopId);
    const response = await setBirthDate({ customerId: Number(member.shopifyCustomerId), dob: "1990-02-28" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ dob: "1990-02-28", customerStatus: "ACTIVE", availablePoints: 0 });
    expect(await dateOfBirth(member.id)).toBe("1990-02-28");
    const activity = await db.activityLog.findFirstOrThrow({ where: { memberId: member.id } });
    expect(activity).toMatchObject({ type: "member_birth_date_changed", message: "Birth date set to 1990-02-28" });
    expect(activity.actor).toMatch(/^api:/);
    expect(await db.outboxEvent.count({ where: { memberId: member.id, topic: "member.sync" } })).toBe(1);
  });

  it("GIVEN a member with a birth date WHEN changed by email in another case THEN updated; the same date again writes nothing", async () => {
    const member = await createMember(db, shopId);
    await setBirthDate({ customerEmail: member.email, dob: "1985-07-04" });
    const response = await setBirthDate({ customerEmail: member.email?.toUpperCase(), dob: "2000-02-29" });
    expect(response.status).toBe(200);
    expect(await dateOfBirth(member.id)).toBe("2000-02-29");
    expect(
      (await db.activityLog.findFirstOrThrow({ where: { memberId: member.id }, orderBy: { createdAt: "desc" } }))
        .message,
    ).toBe("Birth date changed from 1985-07-04 to 2000-02-29");
    const before = await writes();
    expect((await setBirthDate({ customerEmail: member.email, dob: "2000-02-29" })).status).toBe(200);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN today's date, 1900-01-01 and a customerId as a digit string THEN accepted", async () => {
    const member = await createMember(db, shopId);
    expect((await setBirthDate({ customerId: member.shopifyCustomerId, dob: isoDay(0) })).status).toBe(200);
    expect((await setBirthDate({ customerId: member.shopifyCustomerId, dob: "1900-01-01" })).status).toBe(200);
    expect(await dateOfBirth(member.id)).toBe("1900-01-01");
  });

  it.each([
    ["a date in the future", { dob: isoDay(3) }, /dob: must not be in the future/],
    ["year 1899", { dob: "1899-12-31" }, /dob: must be in 1900 or later/],
    ["February 30th", { dob: "1990-02-30" }, /dob: 1990-02-30 is not a real date/],
    ["February 29th of a common year", { dob: "2001-02-29" }, /dob: .*not a real date/],
    ["month 13", { dob: "1990-13-01" }, /dob: .*not a real date/],
    ["day 00", { dob: "1990-01-00" }, /dob: .*not a real date/],
    ["another format", { dob: "04/07/1985" }, /dob: must be a date written YYYY-MM-DD/],
    ["a timestamp", { dob: "1985-07-04T00:00:00Z" }, /dob: must be a date written YYYY-MM-DD/],
    ["unicode digits", { dob: "١٩٩٠-٠١-٠١" }, /dob: must be a date written YYYY-MM-DD/],
    ["a NUL character", { dob: "1990-01-01\u0000" }, /dob: must not contain NUL characters/],
    ["a number", { dob: 19850704 }, /dob: must be a date written YYYY-MM-DD/],
    ["no dob", {}, /dob/],
  ])("GIVEN %s THEN 400 naming dob, and nothing written", async (_case, fields, message) => {
    const member = await createMember(db, shopId);
    const before = await writes();
    await expectProblem(await setBirthDate({ customerEmail: member.email, ...fields }), 400, message);
    expect(await writes()).toEqual(before);
  });

  it.each([
    ["both customer fields", { customerId: 1, customerEmail: "a@example.com", dob: "1990-01-01" }, /exactly one/],
    ["no customer", { dob: "1990-01-01" }, /customerId: give exactly one/],
    ["a malformed email", { customerEmail: "nobody@", dob: "1990-01-01" }, /customerEmail/],
    ["a customerId as a float", { customerId: 12.5, dob: "1990-01-01" }, /customerId/],
    ["an array body", [{ dob: "1990-01-01" }], /JSON object/],
  ])("GIVEN %s THEN 400 and nothing written", async (_case, body, message) => {
    const before = await writes();
    await expectProblem(await setBirthDate(body), 400, message);
    expect(await writes()).toEqual(before);
  });

  it("GIVEN invalid JSON THEN 400", async () => {
    await expectProblem(await setBirthDate(undefined, { rawBody: '{"dob": ' }), 400, /not valid JSON/);
  });

  it("GIVEN no key, a bad key or a read-only key THEN 401 / 401 / 403 and nothing written", async () => {
    const member = await createMember(db, shopId);
    const body = { customerEmail: member.email, dob: "1990-01-01" };
    await expectProblem(await setBirthDate(body, { key: null }), 401);
    await expectProblem(await setBirthDate(body, { key: "pw_nope" }), 401);
    await expectProblem(await setBirthDate(body, { key: readKey }), 403, /read-only/);
    expect(await dateOfBirth(member.id)).toBeNull();
  });

  it("GIVEN an unknown customer, or a customer of another shop THEN 404 and the other shop's customer is untouched", async () => {
    await expectProblem(await setBirthDate({ customerEmail: "ghost@example.com", dob: "1990-01-01" }), 404);
    const stranger = await createMember(db, otherShopId);
    const before = await writes();
    await expectProblem(await setBirthDate({ customerId: Number(stranger.shopifyCustomerId), dob: "1990-01-01" }), 404);
    expect(await writes()).toEqual(before);
    expect(await dateOfBirth(stranger.id)).toBeNull();
  });

  it("GIVEN a POST THEN 405 with Allow: PUT", async () => {
    const response = await callRoute("action", BIRTH_DATE, apiRequest("POST", PATH, { key, body: {} }));
    await expectProblem(response, 405);
    expect(response.headers.get("Allow")).toBe("PUT");
  });

  it("birthDateProblem counts 'today' as today anywhere on Earth (UTC+14)", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    expect(birthDateProblem("2026-11-26", now)).toBeNull();
    expect(birthDateProblem("2026-11-27", now)).toBe("must not be in the future");
  });
});
