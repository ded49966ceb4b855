import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { beforeEach, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import {
  ApiKeyLimitError,
  InvalidRateLimitError,
  createApiKey,
  findApiKeyBySecret,
  listApiKeys,
  presentedKey,
  revokeApiKey,
} from "~/modules/api-keys/api-keys.server";

import { installShop } from "../../helpers/factories";

const run = promisify(execFile);
const db = database();
let shopId: string;

describe("API keys", () => {
  beforeEach(async () => {
    await db.shop.deleteMany();
    await db.session.deleteMany();
    shopId = (await installShop(db)).id;
  });

  it("shows the secret once and keeps only its hash; lists keys by prefix", async () => {
    const created = await createApiKey(db, { shopId, name: "Helpdesk", scope: "full" });
    expect(created.secret).toMatch(/^pw_[A-Za-z0-9]{40}$/);
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.secretHash).not.toContain(created.secret);
    expect(JSON.stringify(stored)).not.toContain(created.secret.slice(12));
    const listed = await listApiKeys(db, shopId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ prefix: created.secret.slice(0, 12), scope: "full", revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect((await findApiKeyBySecret(db, created.secret))?.shopId).toBe(shopId);
  });

  it("refuses an eleventh active key, and a revoked key stops working at once", async () => {
    const keys = [];
    for (let i = 0; i < 10; i++) keys.push(await createApiKey(db, { shopId, name: `k${i}`, scope: "read" }));
    await expect(createApiKey(db, { shopId, name: "k10", scope: "read" })).rejects.toBeInstanceOf(ApiKeyLimitError);
    await revokeApiKey(db, shopId, keys[0]?.prefix ?? "");
    expect(await findApiKeyBySecret(db, keys[0]?.secret ?? "")).toBeNull();
    await createApiKey(db, { shopId, name: "k10", scope: "read" });
  });

  it("GIVEN 20 keys created at once for one shop THEN exactly 10 exist and the others are refused", async () => {
    const shop = await installShop(db, { shop: "key-race.myshopify.com" });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => createApiKey(db, { shopId: shop.id, name: `race ${i}`, scope: "read" })),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(10);
    const refused = results.filter((result) => result.status === "rejected");
    expect(refused.every((result) => result.reason instanceof ApiKeyLimitError)).toBe(true);
    expect(await db.apiKey.count({ where: { shopId: shop.id, revokedAt: null } })).toBe(10);
  });

  it("refuses a rate limit that is not whole, zero, or a burst below the rate", async () => {
    for (const rateLimit of [
      { perSecond: 0, burst: 10 },
      { perSecond: 1.5, burst: 10 },
      { perSecond: 10, burst: 5 },
      { perSecond: 20_000, burst: 20_000 },
    ]) {
      await expect(createApiKey(db, { shopId, name: "bad limit", scope: "read", rateLimit })).rejects.toBeInstanceOf(
        InvalidRateLimitError,
      );
    }
    const made = await createApiKey(db, {
      shopId,
      name: "fast",
      scope: "full",
      rateLimit: { perSecond: 50, burst: 100 },
    });
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({
      rateLimitPerSecond: 50,
      rateLimitBurst: 100,
    });
    await revokeApiKey(db, shopId, made.prefix);
  });

  it("GIVEN a secret that differs from a real key only after the prefix THEN it is not valid", async () => {
    const { secret } = await createApiKey(db, { shopId, name: "k", scope: "full" });
    const forged = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(await findApiKeyBySecret(db, forged)).toBeNull();
    expect(await findApiKeyBySecret(db, "not-a-key")).toBeNull();
    expect(await findApiKeyBySecret(db, "")).toBeNull();
  });

  it("reads the key from Authorization (raw or Bearer) and X-API-Key", () => {
    expect(presentedKey(new Headers({ Authorization: "pw_abc" }))).toBe("pw_abc");
    expect(presentedKey(new Headers({ Authorization: "Bearer pw_abc" }))).toBe("pw_abc");
    expect(presentedKey(new Headers({ "X-API-Key": "pw_abc" }))).toBe("pw_abc");
    expect(presentedKey(new Headers({ Authorization: "Bearer " }))).toBeNull();
    expect(presentedKey(new Headers())).toBeNull();
  });

  it(
    "npm run apikey creates, lists and revokes keys, printing the secret only at creation",
    { timeout: 60_000 },
    async () => {
      const cli = (...args: string[]) =>
        run("npm", ["run", "--silent", "apikey", "--", ...args], {
          env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
        });
      const created = await cli("create", "--shop", "pointwise-test.myshopify.com", "--scope", "read", "--name", "CRM");
      const secret = /pw_[A-Za-z0-9]{40}/.exec(created.stdout)?.[0] ?? "";
      expect((await findApiKeyBySecret(db, secret))?.scope).toBe("read");
      const listed = await cli("list", "--shop", "pointwise-test.myshopify.com");
      expect(listed.stdout).toContain(secret.slice(0, 12));
      expect(listed.stdout).not.toContain(secret);
      expect(listed.stdout).toContain("20/s burst 40");
      await cli(
        "limit",
        "--shop",
        "pointwise-test.myshopify.com",
        "--key",
        secret.slice(0, 12),
        "--rate",
        "50",
        "--burst",
        "80",
      );
      expect(await db.apiKey.findFirst({ where: { prefix: secret.slice(0, 12) } })).toMatchObject({
        rateLimitPerSecond: 50,
        rateLimitBurst: 80,
      });
      expect((await cli("list", "--shop", "pointwise-test.myshopify.com")).stdout).toContain("50/s burst 80");
      await expect(
        cli(
          "limit",
          "--shop",
          "pointwise-test.myshopify.com",
          "--key",
          secret.slice(0, 12),
          "--rate",
          "50",
          "--burst",
          "10",
        ),
      ).rejects.toMatchObject({ stderr: expect.stringContaining("The burst must be a whole number") });
      await cli("limit", "--shop", "pointwise-test.myshopify.com", "--key", secret.slice(0, 12), "--default");
      expect(await db.apiKey.findFirst({ where: { prefix: secret.slice(0, 12) } })).toMatchObject({
        rateLimitPerSecond: null,
        rateLimitBurst: null,
      });
      await cli("revoke", "--shop", "pointwise-test.myshopify.com", "--key", secret.slice(0, 12));
      expect(await findApiKeyBySecret(db, secret)).toBeNull();
      await expect(cli("create", "--shop", "pointwise-test.myshopify.com", "--scope", "admin")).rejects.toMatchObject({
        stderr: expect.stringContaining("--scope must be full or read"),
      });
      await expect(cli("list", "--shop", "nowhere.myshopify.com")).rejects.toMatchObject({
        stderr: expect.stringContaining("No shop nowhere.myshopify.com"),
      });
    },
  );
});
