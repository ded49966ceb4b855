// Database chores for both providers.
//   tsx scripts/db.ts deploy          apply committed migrations to DATABASE_URL (SQLite by default)
//   tsx scripts/db.ts author <name>   write the next migration for SQLite and PostgreSQL from the schema
//   tsx scripts/db.ts check           exit 1 when the schema and either migrations folder disagree
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { dirname, join, resolve } from "node:path";

import { writePostgresSchema } from "./prisma-generate.mjs";
import {
  compareMigrationsWithSchema,
  enableWal,
  migrationsDir,
  pendingSchemaChange,
  prismaCli,
  providers,
  root,
  schemaPath,
  snapshotPath,
} from "./migrations";

const [command, name] = process.argv.slice(2);

async function deploy() {
  const url = process.env.DATABASE_URL || "file:prisma/dev.db";
  if (url.startsWith("file:")) mkdirSync(dirname(resolve(root, url.slice(5))), { recursive: true });
  const { stdout } = await prismaCli(["migrate", "deploy"], url);
  process.stdout.write(stdout);
  if (url.startsWith("file:")) await enableWal(url);
}

async function author(migrationName: string | undefined) {
  if (!migrationName || !/^[a-z0-9_]+$/.test(migrationName)) {
    throw new Error("Name the migration in snake_case: npm run db:migration -- add_lots");
  }
  writePostgresSchema();
  for (const provider of providers) {
    mkdirSync(migrationsDir(provider), { recursive: true });
    writeFileSync(
      join(migrationsDir(provider), "migration_lock.toml"),
      `# Written by scripts/db.ts; Prisma reads the provider of these migrations from it.\nprovider = "${provider}"\n`,
    );
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const provider of providers) {
    const sql = await pendingSchemaChange(provider);
    if (!sql) {
      console.log(`${provider}: schema and migrations agree; nothing to write`);
      continue;
    }
    const dir = join(migrationsDir(provider), `${stamp}_${migrationName}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
    copyFileSync(schemaPath(provider), snapshotPath(provider));
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  }
}

async function check() {
  writePostgresSchema();
  let drift = false;
  for (const provider of providers) {
    const sql = await pendingSchemaChange(provider);
    const { fromMigrations, fromSchema } = await compareMigrationsWithSchema(provider);
    if (sql) {
      drift = true;
      console.error(`${provider}: the schema has changes with no migration:\n${sql}`);
    } else if (!isDeepStrictEqual(fromMigrations, fromSchema)) {
      drift = true;
      console.error(`${provider}: the migrations do not build the database the schema describes`);
    } else console.log(`${provider}: schema and migrations agree`);
  }
  if (drift) process.exit(1);
}

const commands: Record<string, () => Promise<void>> = {
  deploy,
  author: () => author(name),
  check,
};
const selected = command ? commands[command] : undefined;
if (!selected) {
  console.error("usage: tsx scripts/db.ts deploy | author <name> | check");
  process.exit(2);
}
selected().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
