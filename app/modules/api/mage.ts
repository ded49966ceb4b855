import { z } from "zod";

import { providerOfClient, type Database } from "~/db.server";
import { ApiProblem } from "~/lib/api-problem";
import { describeZodError } from "~/lib/api.server";
import { adjustPoints, LedgerError } from "~/modules/ledger";
import type { EarningHistoryEntry } from "~/modules/ledger/earn.server";
import { EXPIRING_SOON_DAYS, requireMember } from "~/modules/ledger/members.server";
import { recordSideEffects } from "~/modules/ledger/records.server";
import { inTransaction } from "~/modules/ledger/transaction.server";
import { formatMultiplier, InvalidAmountError, parsePoints, pointsToJsonNumber } from "~/modules/ledger/math";

import { collection, enumFilter, parsePage, parseSort, stringFilter } from "./mage-paging";

// Mage Loyalty's JSON:API shapes (../shared/seeds/000-002, ../shared/reference/compatible-apis.md),
// and the queries behind the /api/v1 customer lists.

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** seed 000/001: `earning_history_entry`, exactly as the award endpoint answers it. */
export function earningHistoryEntry(entry: EarningHistoryEntry) {
  return {
    type: "earning_history_entry",
    id: entry.id,
    attributes: {
      earning_rule_id: entry.earningRuleId,
      action: entry.action,
      order_id: entry.orderId,
      points: pointsToJsonNumber(entry.pointsCenti),
      base_points: pointsToJsonNumber(entry.basePointsCenti),
      points_multiplier: formatMultiplier(BigInt(entry.multiplierBp)),
      status: entry.status,
      points_given_at: iso(entry.givenAt),
      points_due_at: iso(entry.dueAt),
      points_expiry_at: iso(entry.expiresAt),
      created_at: iso(entry.createdAt),
      updated_at: iso(entry.updatedAt),
    },
  };
}

/** The customer resource's attributes, which a PUT ignores so that a client can send back what it got. */
export const CUSTOMER_READ_ONLY_ATTRIBUTES = [
  "shopify_customer_id",
  "email",
  "first_name",
  "last_name",
  "points",
  "pending_points",
  "lifetime_points",
  "redeemed_points",
  "expiring_points",
  "points_expire_at",
  "vip_tier",
  "loyalty_status",
  "created_at",
  "updated_at",
] as const;

interface CustomerBalances {
  member: {
    id: string;
    shopifyCustomerId: string | null;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    status: string;
    dateOfBirth: string | null;
    anniversaryDate: string | null;
    createdAt: Date;
    updatedAt: Date;
  };
  availableCenti: bigint;
  pendingCenti: bigint;
  lifetimeCenti: bigint;
  redeemedCenti: bigint;
  expiringSoonCenti: bigint;
  nextExpiryAt: Date | null;
  tier: { id: string; name: string } | null;
}

/** The id under which the Mage API names a member: its Shopify customer id, else our own id. */
export const customerResourceId = (member: { id: string; shopifyCustomerId: string | null }) =>
  member.shopifyCustomerId ?? member.id;

/** GET /customers/{identifier}: the member with balances, tier and status. */
export function customerResource(balances: CustomerBalances) {
  const { member } = balances;
  return {
    type: "customer",
    id: customerResourceId(member),
    attributes: {
      shopify_customer_id: member.shopifyCustomerId,
      email: member.email,
      first_name: member.firstName,
      last_name: member.lastName,
      points: pointsToJsonNumber(balances.availableCenti),
      pending_points: pointsToJsonNumber(balances.pendingCenti),
      lifetime_points: pointsToJsonNumber(balances.lifetimeCenti),
      redeemed_points: pointsToJsonNumber(balances.redeemedCenti),
      expiring_points: pointsToJsonNumber(balances.expiringSoonCenti),
      points_expire_at: iso(balances.nextExpiryAt),
      vip_tier: balances.tier ? { id: balances.tier.id, name: balances.tier.name } : null,
      // Mage knows members and excluded ones; a customer deleted in Shopify can no longer take part.
      loyalty_status: member.status === "active" ? "member" : "excluded",
      is_excluded: member.status !== "active",
      date_of_birth: member.dateOfBirth,
      anniversary_date: member.anniversaryDate,
      created_at: iso(member.createdAt),
      updated_at: iso(member.updatedAt),
    },
  };
}

/**
 * Members whose (lower-case) email holds `needle` literally. Prisma's `contains` is a LIKE: on
 * PostgreSQL "%", "_" and backslash are escaped with LIKE's default escape character; SQLite's LIKE has
 * none, so there a needle holding them is matched with instr() instead.
 */
async function emailContains(db: Database, shopId: string, needle: string) {
  if (providerOfClient(db) === "postgresql" || !/[%_\\]/.test(needle))
    return { emailNormalized: { contains: needle.replace(/[\\%_]/g, "\\$&") } };
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "id" FROM "Customer" WHERE "shopId" = ? AND instr("emailNormalized", ?) > 0`,
    shopId,
    needle,
  );
  return { id: { in: rows.map((row) => row.id) } };
}

const CUSTOMER_SORTS = {
  created_at: "createdAt",
  points: "availableCenti",
  lifetime_points: "lifetimeCenti",
  redeemed_points: "redeemedCenti",
};

/**
 * GET /customers: one page of the shop's members with filter[email] (part of the address, any
 * case), filter[loyalty_status] and sort. A page costs four queries whatever its size: the count,
 * the members (balances are cached on their rows), their tiers, and their soon-expiring points.
 */
export async function customerCollection(db: Database, shopId: string, url: URL, at = new Date()) {
  const page = parsePage(url);
  const orderBy = parseSort(url, CUSTOMER_SORTS, "-created_at");
  const email = stringFilter(url, "email");
  const status = enumFilter(url, "loyalty_status", ["member", "excluded"] as const);
  const where = {
    shopId,
    ...(email ? await emailContains(db, shopId, email.toLowerCase()) : {}),
    // Customers deleted in Shopify are not listed (their member row stays for the ledger's history).
    status:
      status === "member"
        ? "active"
        : status === "excluded"
          ? { in: ["excluded", "excluded_by_customer"] }
          : { not: "deleted" },
  };
  const [total, members] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({ where, orderBy, skip: page.skip, take: page.take }),
  ]);
  const tierIds = [...new Set(members.flatMap((member) => (member.vipTierId ? [member.vipTierId] : [])))];
  const horizon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const [tiers, expiring] = await Promise.all([
    tierIds.length > 0
      ? db.vipTier.findMany({ where: { shopId, id: { in: tierIds } }, select: { id: true, name: true } })
      : [],
    members.length > 0
      ? db.lot.groupBy({
          by: ["memberId"],
          where: {
            shopId,
            memberId: { in: members.map((member) => member.id) },
            status: "approved",
            remainingCenti: { gt: 0n },
            expiresAt: { gt: at, lte: horizon },
          },
          _sum: { remainingCenti: true },
          _min: { expiresAt: true },
        })
      : [],
  ]);
  const data = members.map((member) => {
    const soon = expiring.find((group) => group.memberId === member.id);
    return customerResource({
      member,
      availableCenti: member.availableCenti,
      pendingCenti: member.pendingCenti,
      lifetimeCenti: member.lifetimeCenti,
      redeemedCenti: member.redeemedCenti,
      expiringSoonCenti: BigInt(soon?._sum.remainingCenti ?? 0n),
      nextExpiryAt: soon?._min.expiresAt ? new Date(soon._min.expiresAt) : null,
      tier: tiers.find((tier) => tier.id === member.vipTierId) ?? null,
    });
  });
  return collection(url, page, data, total);
}

// ---------------------------------------------------------------------------------------------
// Earning history: one entry per lot of the member.

/** What a lot that no earning rule gave is called in `action`. */
const ACTION_OF_SOURCE: Record<string, string> = {
  manual: "manual_adjustment",
  api: "manual_adjustment",
  import: "import",
  refund: "reward_refund",
  order: "place_order",
};

export const EARNING_STATUSES = ["pending", "approved", "rejected", "expired"] as const;

interface LotRow {
  id: string;
  source: string;
  ruleId: string | null;
  orderId: string | null;
  basePointsCenti: bigint;
  multiplierBp: number;
  amountCenti: bigint;
  status: string;
  givenAt: Date | null;
  dueAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  rule: { action: string } | null;
}

/**
 * An entry of GET /customers/{identifier}/earning-history: the award's earning_history_entry
 * (seed 000/001, same fields and values) with the order and whether a person made it.
 */
export function earningHistoryRecord(lot: LotRow, order: { orderNumber: string | null; createdAt: Date } | null) {
  const entry = earningHistoryEntry({
    id: lot.id,
    earningRuleId: lot.ruleId,
    action: lot.rule?.action ?? ACTION_OF_SOURCE[lot.source] ?? null,
    orderId: lot.orderId,
    pointsCenti: lot.amountCenti,
    basePointsCenti: lot.basePointsCenti,
    multiplierBp: lot.multiplierBp,
    status: lot.status,
    givenAt: lot.givenAt,
    dueAt: lot.dueAt,
    expiresAt: lot.expiresAt,
    createdAt: lot.createdAt,
    updatedAt: lot.updatedAt,
  });
  return {
    ...entry,
    attributes: {
      ...entry.attributes,
      order_number: order?.orderNumber ?? null,
      shopify_date: iso(order?.createdAt ?? null),
      manual_intervention: lot.source === "manual" || lot.source === "api",
    },
  };
}

/** GET /customers/{identifier}/earning-history: the member's lots, newest first, three queries a page. */
export async function earningHistoryCollection(db: Database, shopId: string, memberId: string, url: URL) {
  const page = parsePage(url);
  const orderBy = parseSort(url, { created_at: "createdAt", points: "amountCenti" }, "-created_at");
  const status = enumFilter(url, "status", EARNING_STATUSES);
  const where = { shopId, memberId, ...(status ? { status } : {}) };
  const [total, lots] = await Promise.all([
    db.lot.count({ where }),
    db.lot.findMany({
      where,
      orderBy,
      skip: page.skip,
      take: page.take,
      include: { rule: { select: { action: true } } },
    }),
  ]);
  const orderIds = [...new Set(lots.flatMap((lot) => (lot.orderId ? [lot.orderId] : [])))];
  const orders =
    orderIds.length > 0
      ? await db.order.findMany({
          where: { shopId, shopifyOrderId: { in: orderIds } },
          select: { shopifyOrderId: true, orderNumber: true, createdAt: true },
        })
      : [];
  const data = lots.map((lot) =>
    earningHistoryRecord(lot, orders.find((order) => order.shopifyOrderId === lot.orderId) ?? null),
  );
  return collection(url, page, data, total);
}

/**
 * Checks a "YYYY-MM-DD" date that may lie in the future (an anniversary): a real calendar date from
 * 1900 on. Birth dates also must not be in the future: birthDateProblem, shared with Appstle's door.
 */
export function calendarDateProblem(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return "must be a date written YYYY-MM-DD";
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900) return "must be in 1900 or later";
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return `${value} is not a real date`;
  return null;
}

/**
 * Sets or clears a member's birth and anniversary dates (Mage's PUT /customers/{identifier}), with
 * an activity line and a member.sync event, in one transaction. Fields left undefined stay; writing
 * the dates the member already has writes nothing.
 */
export async function updateMemberDates(
  db: Database,
  input: {
    shopId: string;
    identifier: string;
    dateOfBirth?: string | null;
    anniversaryDate?: string | null;
    actor: string;
  },
) {
  return inTransaction(db, async (tx) => {
    const member = await requireMember(tx, input.shopId, input.identifier);
    const changes: { dateOfBirth?: string | null; anniversaryDate?: string | null } = {};
    if (input.dateOfBirth !== undefined && input.dateOfBirth !== member.dateOfBirth)
      changes.dateOfBirth = input.dateOfBirth;
    if (input.anniversaryDate !== undefined && input.anniversaryDate !== member.anniversaryDate)
      changes.anniversaryDate = input.anniversaryDate;
    if (Object.keys(changes).length === 0) return member;
    const updated = await tx.customer.update({ where: { id: member.id }, data: changes });
    const describe = (name: string, from: string | null, to: string | null | undefined) =>
      to === undefined ? [] : [`${name} ${to === null ? `cleared (was ${from})` : `set to ${to}`}`];
    await recordSideEffects(tx, {
      shopId: input.shopId,
      memberId: member.id,
      activity: {
        type: "member_dates_changed",
        message: [
          ...describe("Birth date", member.dateOfBirth, changes.dateOfBirth),
          ...describe("Anniversary date", member.anniversaryDate, changes.anniversaryDate),
        ].join("; "),
        actor: input.actor,
        data: {
          memberId: member.id,
          from: { dateOfBirth: member.dateOfBirth, anniversaryDate: member.anniversaryDate },
          to: { dateOfBirth: updated.dateOfBirth, anniversaryDate: updated.anniversaryDate },
        },
      },
      events: [{ topic: "member.sync", payload: { memberId: member.id } }],
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Point adjustments: POST /customers/{identifier}/points and POST /points/bulk.

/** The largest adjustment one request can make, either way. */
export const MAX_ADJUSTMENT_POINTS = 10_000_000;

const ADJUSTMENT_FIELDS = ["points", "note", "update_lifetime_points", "send_email"];

const adjustmentSchema = z.object({
  points: z.number({ error: "must be a JSON number (not a string)" }),
  note: z.string({ error: "must be a string" }).max(500, { error: "must be at most 500 characters" }).nullish(),
  update_lifetime_points: z.boolean({ error: "must be true or false" }).optional(),
  send_email: z.boolean({ error: "must be true or false" }).optional(),
});

const identifierSchema = z.union(
  [
    z.string().trim().min(1, { error: "must not be empty" }).max(320, { error: "must be at most 320 characters" }),
    z.number().int().positive().transform(String),
  ],
  { error: "must be a Shopify customer ID or an email address" },
);

export interface PointsAdjustmentRequest {
  identifier?: string;
  deltaCenti: bigint;
  note: string | null;
  updateLifetime: boolean;
  sendEmail: boolean;
}

/**
 * Reads one adjustment's attributes: points a non-zero JSON number with at most 2 decimals and at
 * most 10,000,000 either way; note up to 500 characters; update_lifetime_points and send_email
 * booleans (default true). With `withIdentifier`, customer_identifier is required too. Anything
 * wrong or unknown is an ApiProblem(400) naming the field.
 */
export function parsePointsAdjustment(attributes: unknown, withIdentifier: boolean): PointsAdjustmentRequest {
  if (!attributes || typeof attributes !== "object" || Array.isArray(attributes))
    throw new ApiProblem(400, "body: must be a JSON object");
  const known = withIdentifier ? ["customer_identifier", ...ADJUSTMENT_FIELDS] : ADJUSTMENT_FIELDS;
  const unknown = Object.keys(attributes).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ApiProblem(
      400,
      `${unknown.map((name) => name.slice(0, 100)).join(", ")}: unknown field; use ${known.join(", ")}`,
    );
  }
  const schema = withIdentifier ? adjustmentSchema.extend({ customer_identifier: identifierSchema }) : adjustmentSchema;
  const parsed = schema.safeParse(attributes);
  if (!parsed.success) throw new ApiProblem(400, describeZodError(parsed.error));
  let deltaCenti: bigint;
  try {
    deltaCenti = parsePoints(parsed.data.points);
  } catch (error) {
    if (error instanceof InvalidAmountError) throw new ApiProblem(400, `points: ${error.message}`);
    throw error;
  }
  if (deltaCenti === 0n) throw new ApiProblem(400, "points: must not be 0; give a positive or a negative number");
  const limit = BigInt(MAX_ADJUSTMENT_POINTS) * 100n;
  if (deltaCenti > limit || deltaCenti < -limit)
    throw new ApiProblem(400, `points: must be between -${MAX_ADJUSTMENT_POINTS} and ${MAX_ADJUSTMENT_POINTS}`);
  const data = parsed.data as z.output<typeof adjustmentSchema> & { customer_identifier?: string };
  return {
    ...(withIdentifier ? { identifier: data.customer_identifier } : {}),
    deltaCenti,
    note: data.note?.trim() || null,
    updateLifetime: data.update_lifetime_points ?? true,
    sendEmail: data.send_email ?? true,
  };
}

/**
 * Applies an adjustment through the ledger (balance never below 0, tier recalculated there) and
 * answers Mage's `points_adjustment`. Its id is the customer's: an adjustment is an act on them.
 */
export async function applyPointsAdjustment(
  db: Database,
  input: PointsAdjustmentRequest & {
    shopId: string;
    identifier: string;
    actor: string;
    idempotencyKey?: string | null;
  },
) {
  const at = new Date();
  const result = await adjustPoints(db, {
    shopId: input.shopId,
    identifier: input.identifier,
    deltaCenti: input.deltaCenti,
    note: input.note,
    updateLifetime: input.updateLifetime,
    sendEmail: input.sendEmail,
    source: "api",
    actor: input.actor,
    idempotencyKey: input.idempotencyKey ?? null,
    at,
  });
  const member = await db.customer.findUniqueOrThrow({
    where: { id: result.memberId },
    select: { id: true, shopifyCustomerId: true, availableCenti: true },
  });
  return {
    type: "points_adjustment",
    id: customerResourceId(member),
    attributes: {
      points_before: pointsToJsonNumber(result.pointsBeforeCenti),
      points_after: pointsToJsonNumber(result.pointsAfterCenti),
      current_points: pointsToJsonNumber(member.availableCenti),
      points: pointsToJsonNumber(result.pointsAfterCenti - result.pointsBeforeCenti),
      note: input.note,
      update_lifetime_points: input.updateLifetime,
      send_email: input.sendEmail,
      created_at: at.toISOString(),
    },
  };
}

/** The most items one bulk request may carry. */
export const MAX_BULK_ITEMS = 1_000;

const TITLE_OF_STATUS: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
};

/**
 * POST /points/bulk: checks the envelope first (an array of 1 to 1,000 items, else a 400 and
 * nothing written), then applies each item in its own ledger transaction, in order. An item that
 * is invalid, names an unknown or excluded customer fails alone; the answer has one result per
 * item. With an Idempotency-Key each item carries `bulk:<key>:<index>` into the ledger, so a retry
 * after an interruption applies no item twice.
 */
export async function bulkPointsAdjustment(
  db: Database,
  input: { shopId: string; items: unknown; actor: string; idempotencyKey?: string | null },
) {
  const { items } = input;
  if (!Array.isArray(items)) throw new ApiProblem(400, "items: must be an array of point adjustments");
  if (items.length === 0) throw new ApiProblem(400, "items: must hold at least 1 item");
  if (items.length > MAX_BULK_ITEMS)
    throw new ApiProblem(400, `items: must hold at most ${MAX_BULK_ITEMS} items (it holds ${items.length})`);
  const results = [];
  for (const [index, item] of items.entries()) {
    const named = (item as { customer_identifier?: unknown } | null)?.customer_identifier;
    const customerIdentifier =
      typeof named === "string" || typeof named === "number" ? String(named).slice(0, 320) : null;
    try {
      const adjustment = parsePointsAdjustment(item, true);
      const pointsAdjustment = await applyPointsAdjustment(db, {
        ...adjustment,
        shopId: input.shopId,
        identifier: adjustment.identifier ?? "",
        actor: input.actor,
        idempotencyKey: input.idempotencyKey ? `bulk:${input.idempotencyKey}:${index}` : null,
      });
      results.push({
        index,
        status: "applied" as const,
        customer_identifier: customerIdentifier,
        points_adjustment: pointsAdjustment,
      });
    } catch (error) {
      const status = error instanceof ApiProblem || error instanceof LedgerError ? error.status : 500;
      if (status === 500) console.error(error);
      // Validation messages start with the field: name it within the request.
      const detail =
        status === 500
          ? "Something went wrong on our side; this item was not applied"
          : error instanceof ApiProblem
            ? `items[${index}].${error.message}`
            : (error as Error).message;
      const title = error instanceof ApiProblem && error.title ? error.title : (TITLE_OF_STATUS[status] ?? "Error");
      results.push({
        index,
        status: "failed" as const,
        customer_identifier: customerIdentifier,
        error: { status: String(status), title, detail },
      });
    }
  }
  const applied = results.filter((result) => result.status === "applied").length;
  return { data: results, meta: { total: results.length, applied, failed: results.length - applied } };
}
