import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient as PostgresClient } from "../prisma/generated/postgresql/client/client";
import { PrismaClient as SqliteClient } from "../prisma/generated/sqlite/client/client";

import { databaseUrlFrom } from "./lib/env.server";

/**
 * Both generated clients come from the same schema (prisma/schema.prisma), so they share one API;
 * the SQLite client's types stand for both.
 */
export type Database = SqliteClient;
export type DatabaseProvider = "sqlite" | "postgresql";

/** How long a SQLite writer waits for the lock before giving up, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export const providerOf = (url: string): DatabaseProvider =>
  /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";

/**
 * Opens a client for `url`: PostgreSQL through pg, SQLite through libsql with a busy timeout on
 * every pooled connection. WAL is a property of the SQLite file, set when migrations are applied
 * (scripts/db.ts).
 */
export function openDatabase(url: string): Database {
  const provider = providerOf(url);
  const client =
    provider === "postgresql"
      ? (new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Database)
      : new SqliteClient({ adapter: new PrismaLibSQL({ url, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
  providers.set(client, provider);
  return client;
}

const providers = new WeakMap<object, DatabaseProvider>();

/** Which database a client opened by openDatabase talks to. */
export const providerOfClient = (client: object): DatabaseProvider => providers.get(client) ?? "sqlite";

declare global {
  // Survives Vite's module reloads in development, so a reload does not open another pool.
  var __pointwiseDatabase: Database | undefined;
}

/** The process-wide database, opened on first use from DATABASE_URL. */
export function database(): Database {
  globalThis.__pointwiseDatabase ??= openDatabase(databaseUrlFrom(process.env));
  return globalThis.__pointwiseDatabase;
}

export async function closeDatabase() {
  const client = globalThis.__pointwiseDatabase;
  globalThis.__pointwiseDatabase = undefined;
  await client?.$disconnect();
}
