import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import { createClient } from "@libsql/client";
import pg from "pg";

// Prisma's own replay of a migrations folder (`migrate diff --from-migrations`) does not work
// offline here (SQLite replays only part of a script through the libsql adapter; PostgreSQL
// introspection fails on the "char" type through adapter-pg). So migrations are authored from a
// snapshot of the schema they were written for, and drift is checked by applying the migrations
// with `migrate deploy` and comparing the resulting database with one built from the schema.
// See docs/decisions/0002-one-schema-two-databases.md.

const run = promisify(execFile);
export const root = resolve(import.meta.dirname, "..");
const prismaBin = join(root, "node_modules/.bin/prisma");

export type Provider = "sqlite" | "postgresql";
export const providers: readonly Provider[] = ["sqlite", "postgresql"];

export const migrationsDir = (provider: Provider) => join(root, "prisma/migrations", provider);
/** The schema the latest migration of `provider` was authored for. */
export const snapshotPath = (provider: Provider) => join(migrationsDir(provider), "schema.snapshot.prisma");
export const schemaPath = (provider: Provider) =>
  provider === "sqlite" ? join(root, "prisma/schema.prisma") : join(root, "prisma/generated/postgresql/schema.prisma");

/** Where a throwaway PostgreSQL database may be created. */
export const maintenancePostgresUrl = () =>
  process.env.MIGRATION_POSTGRES_URL ||
  process.env.TEST_DATABASE_URL ||
  "postgresql://postgres@127.0.0.1:5432/postgres";

export async function prismaCli(args: string[], databaseUrl: string) {
  return run(prismaBin, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A URL that tells prisma.config.ts the provider; the CLI connects to it but changes nothing. */
const providerUrl = (provider: Provider) =>
  provider === "sqlite" ? `file:${join(tmpdir(), "pointwise-diff-only.db")}` : maintenancePostgresUrl();

const stripEmpty = (sql: string) =>
  sql
    .split("\n")
    .filter((line) => !line.startsWith("-- This is an empty migration."))
    .join("\n")
    .trim();

/** SQL that turns the `from` datamodel (or nothing) into the `to` datamodel. No database needed. */
export async function diffDatamodels(provider: Provider, from: string | null, to: string): Promise<string> {
  const fromArgs = from ? ["--from-schema-datamodel", from] : ["--from-empty"];
  const { stdout } = await prismaCli(
    ["migrate", "diff", ...fromArgs, "--to-schema-datamodel", to, "--script"],
    providerUrl(provider),
  );
  return stripEmpty(stdout);
}

/** The SQL a new migration needs so that the migrations reach the current schema. */
export async function pendingSchemaChange(provider: Provider): Promise<string> {
  const snapshot = snapshotPath(provider);
  return diffDatamodels(provider, existsSync(snapshot) ? snapshot : null, schemaPath(provider));
}

/** Runs `fn` with the URL of an empty database of that provider, dropped afterwards. */
export async function withEmptyDatabase<T>(provider: Provider, fn: (url: string) => Promise<T>): Promise<T> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "pointwise-migrate-"));
    try {
      return await fn(`file:${join(dir, "empty.db")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const admin = maintenancePostgresUrl();
  const name = `pointwise_tmp_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

/** Executes a multi-statement SQL script on the database at `url`. */
export async function executeScript(provider: Provider, url: string, sql: string) {
  if (provider === "sqlite") {
    const client = createClient({ url });
    try {
      await client.executeMultiple(sql);
    } finally {
      client.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Switches a SQLite file to write-ahead logging, which persists in the file. */
export async function enableWal(url: string) {
  const client = createClient({ url });
  try {
    await client.execute("PRAGMA journal_mode = WAL");
  } finally {
    client.close();
  }
}

/** Tables, columns, indexes and constraints of a database, in a comparable form. */
export async function describeDatabase(provider: Provider, url: string): Promise<unknown> {
  if (provider === "sqlite") {
    const client = createClient({ url });
    try {
      const tables = await client.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name",
      );
      const description: Record<string, unknown> = {};
      for (const { name } of tables.rows) {
        const table = String(name);
        const q = (sql: string) => client.execute(sql).then((r) => r.rows.map((row) => ({ ...row })));
        const indexes = await q(`PRAGMA index_list("${table}")`);
        description[table] = {
          // Added columns land at the end of a table, created ones in schema order: compare by name.
          columns: (await q(`PRAGMA table_info("${table}")`))
            .map(({ cid: _cid, ...column }) => column)
            .sort((a, b) => String(a.name).localeCompare(String(b.name))),
          foreignKeys: (await q(`PRAGMA foreign_key_list("${table}")`)).map(({ id: _id, seq: _seq, ...fk }) => fk),
          indexes: await Promise.all(
            indexes
              .sort((a, b) => String(a.name).localeCompare(String(b.name)))
              .map(async (index) => ({
                name: index.name,
                unique: index.unique,
                columns: (await q(`PRAGMA index_info("${String(index.name)}")`)).map((c) => c.name),
              })),
          ),
        };
      }
      return description;
    } finally {
      client.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await rows(`SELECT table_name, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      indexes: await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`),
      constraints:
        await rows(`SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') ORDER BY 1, 2`),
    };
  } finally {
    await client.end();
  }
}

/**
 * Whether the committed migrations of `provider`, applied with `prisma migrate deploy`, build the
 * same database as the current schema does. Returns both descriptions for a readable failure.
 */
export async function compareMigrationsWithSchema(provider: Provider) {
  const fromMigrations = await withEmptyDatabase(provider, async (url) => {
    await prismaCli(["migrate", "deploy"], url);
    return describeDatabase(provider, url);
  });
  const fromSchema = await withEmptyDatabase(provider, async (url) => {
    await executeScript(provider, url, await diffDatamodels(provider, null, schemaPath(provider)));
    return describeDatabase(provider, url);
  });
  return { fromMigrations, fromSchema };
}
