import { randomBytes, randomUUID } from "node:crypto";

import { ApiProblem } from "~/lib/api-problem";
import { decryptSecret, encryptSecret } from "~/lib/crypto.server";
import type { Database } from "~/db.server";
import { inTransaction } from "~/modules/ledger";
import { lockShopRow } from "~/modules/shops/shops.server";
import type { Tx } from "~/modules/ledger/transaction.server";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";

import type { NewWebhookSubscription, WebhookEvent, WebhookSubscriptionInput } from "./input";

// A shop's outbound webhook subscriptions. The signing secret is returned only when it is made
// (create, rotate) and is stored encrypted, bound to the shop and the subscription; the delivery
// worker reads it back with signingSecretFor. A deleted subscription is removed with its secret
// (the activity log keeps the record), so its URL can be subscribed again.

export const MAX_SUBSCRIPTIONS_PER_SHOP = 25;

export class WebhookSubscriptionNotFoundError extends ApiProblem {
  constructor(readonly id: string) {
    super(404, `Webhook subscription ${id.slice(0, 100)} not found`);
    this.name = "WebhookSubscriptionNotFoundError";
  }
}

export class WebhookSubscriptionLimitError extends ApiProblem {
  constructor() {
    super(
      422,
      `A shop can have at most ${MAX_SUBSCRIPTIONS_PER_SHOP} webhook subscriptions; delete one first`,
      "Subscription Limit Reached",
    );
    this.name = "WebhookSubscriptionLimitError";
  }
}

export class DuplicateWebhookUrlError extends ApiProblem {
  constructor(url: string) {
    super(409, `url: this shop already has a webhook subscription for ${url}`);
    this.name = "DuplicateWebhookUrlError";
  }
}

export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string | null;
  isActive: boolean;
  secretHint: string;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Omit<WebhookSubscription, "events"> & { events: string; secretEncrypted: string };

/** A new signing secret: "whsec_" and 32 random bytes (base64url). */
export function generateSigningSecret() {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** What may be shown of a secret later: its kind and last four characters. */
const hintOf = (secret: string) => `whsec_…${secret.slice(-4)}`;

/** The encryption context: a stored secret decrypts only for the subscription it was made for. */
const contextOf = (shopId: string, id: string) => `webhook_subscription:${shopId}:${id}`;

const present = ({ secretEncrypted: _secret, events, ...row }: Row): WebhookSubscription => ({
  ...row,
  events: JSON.parse(events) as WebhookEvent[],
});

/** What the activity log keeps of a subscription: never its secret. */
const logged = (subscription: WebhookSubscription) => ({
  id: subscription.id,
  url: subscription.url,
  events: subscription.events,
  description: subscription.description,
  is_active: subscription.isActive,
  secret_hint: subscription.secretHint,
});

async function requireRow(db: Database | Tx, shopId: string, id: string): Promise<Row> {
  const row = await db.webhookSubscription.findFirst({ where: { id, shopId } });
  if (!row) throw new WebhookSubscriptionNotFoundError(id);
  return row;
}

/**
 * Runs a write, turning a lost race into the answer the loser would have got had it come second:
 * on the (shop, url) unique key a 409, on a row deleted meanwhile a 404.
 */
async function settlingRaces<T>(id: string, url: string | undefined, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (url !== undefined && isUniqueViolation(error)) throw new DuplicateWebhookUrlError(url);
    if ((error as { code?: string })?.code === "P2025") throw new WebhookSubscriptionNotFoundError(id);
    throw error;
  }
}

async function refuseTakenUrl(tx: Tx, shopId: string, url: string, exceptId?: string) {
  const taken = await tx.webhookSubscription.findFirst({
    where: { shopId, url, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new DuplicateWebhookUrlError(url);
}

/** The shop's subscriptions, a page of them, in the given order. */
export async function listWebhookSubscriptions(
  db: Database,
  shopId: string,
  query: { skip: number; take: number; orderBy: Array<Record<string, "asc" | "desc">>; isActive?: boolean },
) {
  const where = { shopId, ...(query.isActive === undefined ? {} : { isActive: query.isActive }) };
  const [rows, total] = await Promise.all([
    db.webhookSubscription.findMany({ where, orderBy: query.orderBy, skip: query.skip, take: query.take }),
    db.webhookSubscription.count({ where }),
  ]);
  return { subscriptions: rows.map(present), total };
}

/** One subscription of the shop (404 for another shop's). */
export async function requireWebhookSubscription(db: Database, shopId: string, id: string) {
  return present(await requireRow(db, shopId, id));
}

/** Creates a subscription; the only time, with rotation, that its secret is returned. */
export async function createWebhookSubscription(
  db: Database,
  input: { shopId: string; actor: string; values: NewWebhookSubscription },
) {
  const { shopId, values } = input;
  const id = randomUUID();
  const secret = generateSigningSecret();
  const subscription = await settlingRaces(id, values.url, () =>
    inTransaction(db, async (tx) => {
      await lockShopRow(tx, shopId);
      if ((await tx.webhookSubscription.count({ where: { shopId } })) >= MAX_SUBSCRIPTIONS_PER_SHOP) {
        throw new WebhookSubscriptionLimitError();
      }
      await refuseTakenUrl(tx, shopId, values.url);
      const created = present(
        await tx.webhookSubscription.create({
          data: {
            id,
            shopId,
            url: values.url,
            events: JSON.stringify(values.events),
            description: values.description ?? null,
            isActive: values.isActive ?? true,
            secretEncrypted: encryptSecret(secret, contextOf(shopId, id)),
            secretHint: hintOf(secret),
          },
        }),
      );
      await tx.activityLog.create({
        data: {
          shopId,
          type: "webhook_subscription.created",
          message: `Webhook subscription to ${created.url} created`,
          actor: input.actor,
          data: JSON.stringify(logged(created)),
        },
      });
      return created;
    }),
  );
  return { subscription, secret };
}

/** Changes what was given of url, events, description and is_active (pausing or resuming it). */
export async function updateWebhookSubscription(
  db: Database,
  input: { shopId: string; id: string; actor: string; values: WebhookSubscriptionInput },
) {
  const { shopId, id, values } = input;
  return settlingRaces(id, values.url, () =>
    inTransaction(db, async (tx) => {
      const before = present(await requireRow(tx, shopId, id));
      if (values.url !== undefined) await refuseTakenUrl(tx, shopId, values.url, id);
      const after = present(
        await tx.webhookSubscription.update({
          where: { id, shopId },
          data: {
            ...(values.url === undefined ? {} : { url: values.url }),
            ...(values.events === undefined ? {} : { events: JSON.stringify(values.events) }),
            ...(values.description === undefined ? {} : { description: values.description }),
            ...(values.isActive === undefined ? {} : { isActive: values.isActive }),
          },
        }),
      );
      const paused = before.isActive !== after.isActive ? (after.isActive ? " and resumed" : " and paused") : "";
      await tx.activityLog.create({
        data: {
          shopId,
          type: "webhook_subscription.updated",
          message: `Webhook subscription to ${after.url} updated${paused}`,
          actor: input.actor,
          data: JSON.stringify({ before: logged(before), after: logged(after) }),
        },
      });
      return after;
    }),
  );
}

/** Deletes a subscription and its secret; nothing is delivered to it any more. */
export async function deleteWebhookSubscription(db: Database, input: { shopId: string; id: string; actor: string }) {
  await settlingRaces(input.id, undefined, () =>
    inTransaction(db, async (tx) => {
      const subscription = present(await requireRow(tx, input.shopId, input.id));
      await tx.webhookSubscription.delete({ where: { id: subscription.id, shopId: input.shopId } });
      await tx.activityLog.create({
        data: {
          shopId: input.shopId,
          type: "webhook_subscription.deleted",
          message: `Webhook subscription to ${subscription.url} deleted`,
          actor: input.actor,
          data: JSON.stringify(logged(subscription)),
        },
      });
    }),
  );
}

/** Replaces the signing secret; the old one stops signing at once. Returns the new one, this once. */
export async function rotateWebhookSecret(db: Database, input: { shopId: string; id: string; actor: string }) {
  const secret = generateSigningSecret();
  const subscription = await settlingRaces(input.id, undefined, () =>
    inTransaction(db, async (tx) => {
      const current = await requireRow(tx, input.shopId, input.id);
      const rotated = present(
        await tx.webhookSubscription.update({
          where: { id: current.id, shopId: input.shopId },
          data: {
            secretEncrypted: encryptSecret(secret, contextOf(input.shopId, current.id)),
            secretHint: hintOf(secret),
          },
        }),
      );
      await tx.activityLog.create({
        data: {
          shopId: input.shopId,
          type: "webhook_subscription.secret_rotated",
          message: `Signing secret of the webhook subscription to ${rotated.url} rotated`,
          actor: input.actor,
          data: JSON.stringify({ ...logged(rotated), previous_secret_hint: current.secretHint }),
        },
      });
      return rotated;
    }),
  );
  return { subscription, secret };
}

/** The subscription's current signing secret, decrypted, for the delivery worker to sign with. */
export async function signingSecretFor(db: Database, shopId: string, subscriptionId: string): Promise<string> {
  const row = await requireRow(db, shopId, subscriptionId);
  return decryptSecret(row.secretEncrypted, contextOf(shopId, row.id));
}
