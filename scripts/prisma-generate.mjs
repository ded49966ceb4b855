// Derives the PostgreSQL schema from prisma/schema.prisma and generates a Prisma client for each
// provider. Runs on `npm install` (postinstall) and whenever the schema changes.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "prisma/schema.prisma");

/** The schema text for one provider: the same models, another provider and client output. */
export function schemaFor(provider) {
  const text = readFileSync(source, "utf8");
  if (provider === "sqlite") return text;
  return text
    .replace('provider = "sqlite"', `provider = "${provider}"`)
    .replace('url      = "file:./dev.db"', 'url      = env("DATABASE_URL")')
    .replace('output       = "./generated/sqlite/client"', 'output       = "./client"');
}

export const postgresSchemaPath = join(root, "prisma/generated/postgresql/schema.prisma");

export function writePostgresSchema() {
  mkdirSync(dirname(postgresSchemaPath), { recursive: true });
  writeFileSync(postgresSchemaPath, schemaFor("postgresql"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writePostgresSchema();
  const prisma = join(root, "node_modules/.bin/prisma");
  // prisma.config.ts picks the schema from DATABASE_URL; the URLs here only name the provider.
  for (const url of ["file:prisma/dev.db", "postgresql://localhost/generate-only"]) {
    execFileSync(prisma, ["generate"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  }
}
