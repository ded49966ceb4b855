import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { takeToken } from "~/lib/rate-limit.server";

import { createKey, installShop } from "../../helpers/factories";

const run = promisify(execFile);
const db = database();

describe("rate limits across app processes", () => {
  it(
    "GIVEN 4 processes spending one key's bucket of 10 at once THEN exactly 10 requests are let through",
    { timeout: 120_000 },
    async () => {
      const shop = await installShop(db, { shop: "rate-limited.myshopify.com" });
      await createKey(db, shop.id, "full");
      const key = await db.apiKey.findFirstOrThrow({ where: { shopId: shop.id } });
      const nowMs = Date.now();
      const processes = await Promise.all(
        Array.from({ length: 4 }, () =>
          run("node_modules/.bin/tsx", ["test/fixtures/rate-limit-worker.ts", key.id, "8", "10", String(nowMs)], {
            env: { ...process.env },
          }),
        ),
      );
      const allowed = processes.map(
        ({ stdout }) => (JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { allowed: number }).allowed,
      );
      expect(allowed.reduce((total, count) => total + count, 0)).toBe(10);
      // The bucket is empty for everyone now, and refills at the key's rate.
      expect((await takeToken(db, key.id, { rate: 1, burst: 10, nowMs })).allowed).toBe(false);
      expect((await takeToken(db, key.id, { rate: 1, burst: 10, nowMs: nowMs + 1000 })).allowed).toBe(true);
    },
  );
});
