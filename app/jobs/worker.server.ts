import { randomUUID } from "node:crypto";

import type { Database } from "~/db.server";
import { topicKey } from "~/lib/webhooks.server";
import { webhookHandlers } from "~/modules/webhooks/registry.server";

/** How many times a delivery is tried before it is marked failed. */
export const MAX_ATTEMPTS = 8;
/** How long a claim holds: a worker that dies mid-delivery loses it after this. */
export const LEASE_MS = 5 * 60_000;
const BATCH = 20;

/** The wait before the next try after `attempts` failed ones: 30 s, 1 min, 2 min … capped at 1 hour. */
export function backoffMs(attempts: number) {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

/** An error as stored in lastError: its name and message, without anything that looks like a secret. */
export function describeError(error: unknown) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text
    .replace(/shp(at|ss|ca|pa)_[A-Za-z0-9]+/g, "[redacted]")
    .replace(/(postgres(ql)?:\/\/)[^\s@]*@/g, "$1[redacted]@")
    .replace(/\b[A-Fa-f0-9]{32,}\b/g, "[redacted]")
    .slice(0, 1000);
}

export interface WorkerOptions {
  now?: Date;
  /** Names this worker in lockedBy; a fresh id per pass unless given. */
  workerId?: string;
  log?: (line: string) => void;
}

/**
 * Claims one due delivery by a conditional UPDATE: it succeeds for exactly one worker, whichever
 * database, because the row must still be pending (or its lease lapsed) when the UPDATE runs.
 */
async function claim(db: Database, id: string, workerId: string, now: Date) {
  const { count } = await db.webhookDelivery.updateMany({
    where: {
      id,
      availableAt: { lte: now },
      OR: [{ status: "pending" }, { status: "processing", lockedUntil: { lt: now } }],
    },
    data: {
      status: "processing",
      lockedBy: workerId,
      lockedUntil: new Date(now.getTime() + LEASE_MS),
      attempts: { increment: 1 },
    },
  });
  return count === 1;
}

/**
 * One pass of the worker over the webhook inbox: claims each due delivery (pending, or processing
 * with a lapsed lease) and runs its topic's handler. A failure is retried with backoff up to
 * MAX_ATTEMPTS tries, then the delivery is failed with its last error. Returns what it did.
 */
export async function runWorkerOnce(db: Database, options: WorkerOptions = {}) {
  const now = options.now ?? new Date();
  const workerId = options.workerId ?? randomUUID();
  const result = { processed: 0, retried: 0, failed: 0 };
  const due = await db.webhookDelivery.findMany({
    where: {
      availableAt: { lte: now },
      OR: [{ status: "pending" }, { status: "processing", lockedUntil: { lt: now } }],
    },
    orderBy: [{ availableAt: "asc" }, { createdAt: "asc" }],
    select: { id: true },
    take: BATCH,
  });
  for (const { id } of due) {
    if (!(await claim(db, id, workerId, now))) continue;
    const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id } });
    const mine = { id, lockedBy: workerId };
    try {
      const entry = webhookHandlers[topicKey(delivery.topic)];
      if (!entry) throw new Error(`No handler for topic ${delivery.topic}`);
      await entry.handle(db, {
        id,
        shopDomain: delivery.shopDomain,
        shopId: delivery.shopId,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        payload: JSON.parse(delivery.payload) as unknown,
        now,
      });
      await db.webhookDelivery.updateMany({
        where: mine,
        data: { status: "done", processedAt: now, lockedUntil: null, lastError: null },
      });
      result.processed += 1;
    } catch (error) {
      const lastError = describeError(error);
      if (delivery.attempts >= MAX_ATTEMPTS) {
        await db.webhookDelivery.updateMany({ where: mine, data: { status: "failed", lockedUntil: null, lastError } });
        result.failed += 1;
        options.log?.(`webhook ${delivery.topic} ${id} failed after ${delivery.attempts} attempts: ${lastError}`);
      } else {
        await db.webhookDelivery.updateMany({
          where: mine,
          data: {
            status: "pending",
            lockedUntil: null,
            lastError,
            availableAt: new Date(now.getTime() + backoffMs(delivery.attempts)),
          },
        });
        result.retried += 1;
      }
    }
  }
  return result;
}

/** Runs every pass until no delivery is due (for the sandbox and tests). */
export async function drainWorker(db: Database, options: WorkerOptions = {}) {
  const total = { processed: 0, retried: 0, failed: 0 };
  for (;;) {
    const pass = await runWorkerOnce(db, options);
    total.processed += pass.processed;
    total.retried += pass.retried;
    total.failed += pass.failed;
    if (pass.processed + pass.retried + pass.failed === 0) return total;
  }
}

/** Periodic jobs the loop runs besides the inbox, e.g. the member metafield sync. */
export type PeriodicJob = { name: string; everyMs: number; run: (db: Database, now: Date) => Promise<unknown> };

export interface WorkerLoop {
  stop: () => Promise<void>;
  /** Asks for a pass now, resolving once it has run. */
  wake: () => Promise<void>;
}

/** Polls the inbox every `pollMs` and runs the periodic jobs when they are due, until stopped. */
export function startWorker(
  db: Database,
  options: { pollMs?: number; jobs?: PeriodicJob[]; log?: (line: string) => void } = {},
): WorkerLoop {
  const pollMs = options.pollMs ?? 1_000;
  const log = options.log ?? ((line: string) => console.warn(line));
  const lastRun = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const pass = async () => {
    try {
      await drainWorker(db, { log });
      for (const job of options.jobs ?? []) {
        const now = Date.now();
        if (now - (lastRun.get(job.name) ?? 0) < job.everyMs) continue;
        lastRun.set(job.name, now);
        await job.run(db, new Date(now));
      }
    } catch (error) {
      log(`worker pass failed: ${describeError(error)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = running.then(pass).then(schedule);
    }, pollMs);
  };
  running = running.then(pass).then(schedule);
  return {
    wake: () => (running = running.then(pass)),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
