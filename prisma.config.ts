import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";

// The Prisma CLI (generate, migrate deploy/status/diff) runs offline through driver adapters and
// the WebAssembly schema engine (../shared/TOOLCHAIN.md). DATABASE_URL picks the provider exactly
// as the app does (app/db.server.ts): postgres:// or postgresql:// → PostgreSQL, else SQLite.
const url = process.env.DATABASE_URL || "file:prisma/dev.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? "prisma/generated/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/migrations/postgresql" : "prisma/migrations/sqlite" },
  async adapter() {
    return postgres ? new PrismaPg({ connectionString: url, allowExitOnIdle: true }) : new PrismaLibSQL({ url });
  },
});
