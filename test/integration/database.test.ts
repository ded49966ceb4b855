import { isDeepStrictEqual } from "node:util";

import { describe, expect, it } from "vitest";

import { database, providerOf, SQLITE_BUSY_TIMEOUT_MS } from "~/db.server";

import { compareMigrationsWithSchema, pendingSchemaChange } from "../../scripts/migrations";

const provider = providerOf(process.env.DATABASE_URL ?? "");

describe(`the ${provider} database`, () => {
  it("is the one TEST_DATABASE_URL asks for", () => {
    expect(provider).toBe(process.env.TEST_DATABASE_URL ? "postgresql" : "sqlite");
  });

  it("has a migration for every change of prisma/schema.prisma", async () => {
    expect(await pendingSchemaChange(provider)).toBe("");
  });

  it("gets from the committed migrations exactly the tables, columns, indexes and keys the schema describes", async () => {
    const { fromMigrations, fromSchema } = await compareMigrationsWithSchema(provider);
    expect(isDeepStrictEqual(fromMigrations, fromSchema) ? "same" : { fromMigrations, fromSchema }).toBe("same");
  });

  it("runs with the provider's connection settings (SQLite: WAL and a busy timeout on every connection)", async () => {
    const db = database();
    if (provider === "postgresql") {
      const [row] = await db.$queryRawUnsafe<{ transaction_isolation: string }[]>("SHOW transaction_isolation");
      expect(row?.transaction_isolation).toBe("read committed");
      return;
    }
    const [journal] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    expect(journal?.journal_mode).toBe("wal");
    // Pooled connections are opened lazily; each one, transactions' too, carries the timeout.
    const timeouts = await Promise.all([
      db.$queryRawUnsafe<{ timeout: number }[]>("PRAGMA busy_timeout"),
      db.$transaction((tx) => tx.$queryRawUnsafe<{ timeout: number }[]>("PRAGMA busy_timeout")),
    ]);
    expect(timeouts.map(([row]) => Number(row?.timeout))).toEqual([SQLITE_BUSY_TIMEOUT_MS, SQLITE_BUSY_TIMEOUT_MS]);
  });

  it("stores Shopify sessions in the app's own database", async () => {
    const db = database();
    await db.session.create({
      data: { id: "offline_x.myshopify.com", shop: "x.myshopify.com", state: "s", accessToken: "t" },
    });
    expect(await db.session.count({ where: { shop: "x.myshopify.com" } })).toBe(1);
  });
});
