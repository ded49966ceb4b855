import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";
import type { TestProject } from "vitest/node";

import { enableWal, prismaCli } from "../../scripts/migrations";

import { databaseTarget, postgresUrlFor } from "./database-target";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated, empty database that each test file copies: a SQLite file or a PostgreSQL template. */
    databaseTemplate: { provider: "sqlite" | "postgresql"; url: string; name: string };
  }
}

/**
 * Once per run: applies the committed migrations (with `prisma migrate deploy`, as production does)
 * to a template database. Each test file then gets its own copy (test/setup/integration.ts).
 * SQLite by default; PostgreSQL when TEST_DATABASE_URL names a server.
 */
export default async function setup(project: TestProject) {
  const target = databaseTarget();
  const run = `${process.pid}_${Date.now()}`;
  if (target.provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "pointwise-test-"));
    const url = `file:${join(dir, "template.db")}`;
    await prismaCli(["migrate", "deploy"], url);
    await enableWal(url);
    project.provide("databaseTemplate", { provider: "sqlite", url, name: dir });
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const name = `pointwise_test_${run}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await prismaCli(["migrate", "deploy"], postgresUrlFor(target.url, name));
  project.provide("databaseTemplate", { provider: "postgresql", url: target.url, name });
  return async () => {
    // The template and every copy made from it (named after it) go.
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${name}%`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  };
}
