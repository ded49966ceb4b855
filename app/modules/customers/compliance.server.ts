import type { Database } from "~/db.server";
import { memberBalances } from "~/modules/ledger/members.server";
import { inTransaction } from "~/modules/ledger/transaction.server";
import { normaliseShopDomain } from "~/modules/shops/shops.server";

import { DELETED } from "./customers.server";

// Shopify's mandatory compliance webhooks (customers/data_request, customers/redact, shop/redact)
// and customers/delete. https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance

const ACTOR = "webhook";
const REDACTED = "[redacted]";

/** Plain JSON for a merchant to read: bigints as decimal strings, dates as ISO strings. */
const plainJson = (value: unknown) =>
  JSON.stringify(value, (_key, current: unknown) => (typeof current === "bigint" ? current.toString() : current));

const findShopId = async (db: Database, shopDomain: string) =>
  (await db.shop.findUnique({ where: { domain: normaliseShopDomain(shopDomain) }, select: { id: true } }))?.id ?? null;

/**
 * customers/delete: the member is marked deleted — no earning, spending or listing any more — and
 * their history (lots, ledger entries, rewards, orders) is kept. Returns whether a member changed.
 */
export async function markCustomerDeleted(db: Database, shopDomain: string, shopifyCustomerId: string, at: Date) {
  const shopId = await findShopId(db, shopDomain);
  if (!shopId) return false;
  return inTransaction(db, async (tx) => {
    const member = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
    if (!member) return false;
    // Conditional: a repeated or concurrent delivery changes nothing twice.
    const { count } = await tx.customer.updateMany({
      where: { id: member.id, status: { not: DELETED } },
      data: { status: DELETED, ledgerVersion: { increment: 1 } },
    });
    if (count === 0) return false;
    await tx.activityLog.create({
      data: {
        shopId,
        memberId: member.id,
        type: "member_deleted",
        message: `Customer deleted in Shopify: member marked deleted (was ${member.status}), history kept`,
        actor: ACTOR,
        createdAt: at,
      },
    });
    return true;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces each personal value where it stands as a whole word (so "Al" leaves "Allocated" alone). */
function scrubber(values: string[]) {
  const unique = [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  if (unique.length === 0) return { text: (s: string) => s, json: (s: string) => s };
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${unique.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`, "giu");
  const text = (s: string) => s.replace(pattern, REDACTED);
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value === "number") return unique.includes(String(value)) ? REDACTED : value;
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  const json = (s: string) => {
    try {
      return JSON.stringify(walk(JSON.parse(s)));
    } catch {
      return text(s);
    }
  };
  return { text, json };
}

/** Whether a stored webhook body names this Shopify customer (as the customer, or its order's customer). */
function namesCustomer(topic: string, payload: string, shopifyCustomerId: string) {
  try {
    const body = JSON.parse(payload) as { id?: unknown; customer?: { id?: unknown } | null };
    if (String(body.customer?.id ?? "") === shopifyCustomerId) return true;
    return topic.startsWith("customers/") && String(body.id ?? "") === shopifyCustomerId;
  } catch {
    return false;
  }
}

/**
 * customers/redact: the customer's personal data is erased — the member's email, names, birthday,
 * anniversary and Shopify customer id (an identifier the merchant links back to the person, so
 * personal data too) — while the ledger stays as an anonymous member (balances, lots, entries,
 * rewards, orders). The member's activity lines and outbox events that quote any of those values are
 * scrubbed, as are the stored webhook bodies naming the customer; one activity line, free of personal
 * data, records the erasure. The member is marked deleted. Returns whether a member was erased.
 */
export async function redactCustomer(
  db: Database,
  input: { shopDomain: string; shopifyCustomerId: string; deliveryId: string; at: Date },
) {
  const shopDomain = normaliseShopDomain(input.shopDomain);
  const shopId = await findShopId(db, shopDomain);
  if (!shopId) return false;
  const { shopifyCustomerId } = input;
  return inTransaction(db, async (tx) => {
    const deliveries = await tx.webhookDelivery.findMany({
      where: { shopDomain, payload: { contains: shopifyCustomerId }, status: { in: ["done", "failed"] } },
      select: { id: true, topic: true, payload: true },
    });
    const named = deliveries.filter((d) => namesCustomer(d.topic, d.payload, shopifyCustomerId)).map((d) => d.id);
    await tx.webhookDelivery.updateMany({
      where: { id: { in: [...named, input.deliveryId] } },
      data: { payload: "{}" },
    });

    const member = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
    if (!member) {
      await tx.activityLog.create({
        data: {
          shopId,
          memberId: null,
          type: "customer_redacted",
          message: "Shopify asked to erase a customer who is not a member: nothing held",
          actor: ACTOR,
          createdAt: input.at,
        },
      });
      return false;
    }
    const fullName = [member.firstName, member.lastName].filter(Boolean).join(" ");
    const scrub = scrubber(
      [
        member.email,
        member.emailNormalized,
        fullName,
        member.firstName,
        member.lastName,
        member.dateOfBirth,
        member.anniversaryDate,
        shopifyCustomerId,
      ].filter((v): v is string => typeof v === "string"),
    );
    for (const line of await tx.activityLog.findMany({ where: { shopId, memberId: member.id } })) {
      const message = scrub.text(line.message);
      const data = line.data === null ? null : scrub.json(line.data);
      if (message !== line.message || data !== line.data) {
        await tx.activityLog.update({ where: { id: line.id }, data: { message, data } });
      }
    }
    for (const event of await tx.outboxEvent.findMany({ where: { shopId, memberId: member.id } })) {
      const payload = scrub.json(event.payload);
      if (payload !== event.payload) await tx.outboxEvent.update({ where: { id: event.id }, data: { payload } });
    }
    await tx.customer.update({
      where: { id: member.id },
      data: {
        shopifyCustomerId: null,
        email: null,
        emailNormalized: null,
        firstName: null,
        lastName: null,
        dateOfBirth: null,
        anniversaryDate: null,
        status: DELETED,
        ledgerVersion: { increment: 1 },
      },
    });
    await tx.activityLog.create({
      data: {
        shopId,
        memberId: member.id,
        type: "customer_redacted",
        message: "Personal data erased at the shop's request (customers/redact); the points history is kept anonymous",
        actor: ACTOR,
        createdAt: input.at,
      },
    });
    return true;
  });
}

/**
 * customers/data_request: everything Pointwise holds about the customer — member fields, balances,
 * lots, ledger entries, orders, rewards with their codes, activity — assembled as one JSON document
 * and stored for the merchant as an activity line of type "data_request" (the document in `data`).
 * A customer who is not a member gets an activity line saying so and nothing else. Returns the
 * document, or null.
 */
export async function assembleDataRequest(
  db: Database,
  input: { shopDomain: string; shopifyCustomerId: string; dataRequestId: string | null; at: Date },
) {
  const shopId = await findShopId(db, input.shopDomain);
  if (!shopId) return null;
  const member = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: input.shopifyCustomerId } },
  });
  const request = input.dataRequestId ? ` ${input.dataRequestId}` : "";
  if (!member) {
    await db.activityLog.create({
      data: {
        shopId,
        memberId: null,
        type: "data_request",
        message: `Data request${request}: the customer is not a member, Pointwise holds no data of theirs`,
        actor: ACTOR,
        data: plainJson({ dataRequestId: input.dataRequestId, member: null }),
        createdAt: input.at,
      },
    });
    return null;
  }
  const where = { shopId, memberId: member.id };
  const [balances, lots, entries, orders, rewards, activity] = await Promise.all([
    memberBalances(db, member.id, input.at),
    db.lot.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.ledgerEntry.findMany({ where, orderBy: { sequence: "asc" } }),
    db.order.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.customerReward.findMany({ where, orderBy: { createdAt: "asc" } }),
    db.activityLog.findMany({ where, orderBy: { createdAt: "asc" } }),
  ]);
  const document = {
    dataRequestId: input.dataRequestId,
    generatedAt: input.at.toISOString(),
    member: {
      id: member.id,
      shopifyCustomerId: member.shopifyCustomerId,
      email: member.email,
      firstName: member.firstName,
      lastName: member.lastName,
      dateOfBirth: member.dateOfBirth,
      anniversaryDate: member.anniversaryDate,
      status: member.status,
      vipTier: balances.tier?.name ?? null,
      createdAt: member.createdAt,
    },
    balances: {
      availableCenti: balances.availableCenti,
      pendingCenti: balances.pendingCenti,
      lifetimeCenti: balances.lifetimeCenti,
      redeemedCenti: balances.redeemedCenti,
      lifetimeSpendMinor: member.lifetimeSpendMinor,
    },
    lots,
    ledgerEntries: entries,
    orders,
    rewards: rewards.map((r) => ({
      id: r.id,
      discountCode: r.discountCode,
      status: r.status,
      pointsSpentCenti: r.pointsSpentCenti,
      valueMinor: r.valueMinor,
      reward: JSON.parse(r.rewardSnapshot) as unknown,
      expiresAt: r.expiresAt,
      usedAt: r.usedAt,
      refundedAt: r.refundedAt,
      createdAt: r.createdAt,
    })),
    activity: activity.map((a) => ({ type: a.type, message: a.message, actor: a.actor, createdAt: a.createdAt })),
  };
  await db.activityLog.create({
    data: {
      shopId,
      memberId: member.id,
      type: "data_request",
      message: `Data request${request}: the member's loyalty data was assembled for the merchant`,
      actor: ACTOR,
      data: plainJson(document),
      createdAt: input.at,
    },
  });
  return document;
}

/**
 * shop/redact: every row of the shop is deleted — its sessions, its webhook inbox (this delivery
 * included), refunds, API idempotency records and rate-limit buckets, then the shop, whose deletion
 * cascades to everything else (members, lots, entries, rewards, orders, logs, outbox, keys, jobs…).
 * Customer rewards go first: their reward link is ON DELETE RESTRICT.
 */
export async function redactShopData(db: Database, shopDomain: string) {
  const domain = normaliseShopDomain(shopDomain);
  const shopId = await findShopId(db, domain);
  await inTransaction(db, async (tx) => {
    await tx.session.deleteMany({ where: { shop: domain } });
    await tx.webhookDelivery.deleteMany({
      where: { OR: [{ shopDomain: domain }, ...(shopId ? [{ shopId }] : [])] },
    });
    if (!shopId) return;
    const keys = await tx.apiKey.findMany({ where: { shopId }, select: { id: true } });
    await tx.apiRateLimit.deleteMany({ where: { keyId: { in: keys.map((k) => k.id) } } });
    await tx.apiIdempotentRequest.deleteMany({ where: { shopId } });
    await tx.orderRefund.deleteMany({ where: { shopId } });
    await tx.customerReward.deleteMany({ where: { shopId } });
    await tx.shop.delete({ where: { id: shopId } });
  });
}
