import { z } from "zod";

/**
 * Every environment variable the app reads, parsed once at start-up. A missing or malformed one
 * stops the app with a message naming it. `.env.example` documents each of them.
 */
const databaseUrl = z.string().refine((url) => /^(file:|postgres:\/\/|postgresql:\/\/)/.test(url), {
  message: "must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)",
});

const ENCRYPTION_KEY_FORMAT =
  "32 random bytes as 64 hex characters or as base64 (make one with: openssl rand -base64 32)";

/**
 * ENCRYPTION_KEY as its 32 bytes: 64 hex characters, or base64 / base64url (padding optional).
 * Null for anything else, and for a key of one repeated byte (a placeholder, not a key).
 */
export function decodeEncryptionKey(text: string): Buffer | null {
  const value = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const base64 = value.replaceAll("-", "+").replaceAll("_", "/").replace(/=$/, "");
    const bytes = Buffer.from(base64, "base64");
    // Canonical only: the unused low bits of the last character must be zero.
    if (bytes.toString("base64").replace(/=$/, "") === base64) key = bytes;
  }
  if (!key || key.every((byte) => byte === key[0])) return null;
  return key;
}

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
    SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
    SHOPIFY_APP_URL: z.url({ message: "must be the app's public URL, e.g. https://pointwise.example.com" }),
    SCOPES: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of access scopes")
      .optional(),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    DATABASE_URL: databaseUrl.default("file:prisma/dev.db"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // Encrypts integration secrets at rest (webhook signing secrets), AES-256-GCM. Losing it makes
    // them unreadable; see docs/decisions/0006-encrypted-integration-secrets.md.
    ENCRYPTION_KEY: z
      .string({
        error: (issue) =>
          issue.input === undefined ? `is required: ${ENCRYPTION_KEY_FORMAT}` : `must be ${ENCRYPTION_KEY_FORMAT}`,
      })
      .transform((text, ctx) => {
        const key = decodeEncryptionKey(text);
        if (key) return key;
        ctx.addIssue({ code: "custom", message: `must be ${ENCRYPTION_KEY_FORMAT}` });
        return z.NEVER;
      }),
    // Sandbox only: where the simulated Admin API listens. Refused in production.
    POINTWISE_SANDBOX_ADMIN_API_URL: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.POINTWISE_SANDBOX_ADMIN_API_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["POINTWISE_SANDBOX_ADMIN_API_URL"],
        message: "must not be set in production: the sandbox never runs there",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidEnvironmentError";
  }
}

/** Parses an environment; throws one error naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new InvalidEnvironmentError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"} ${issue.message}`),
  );
}

/**
 * DATABASE_URL alone, for tools that need the database and nothing of Shopify (the API-key CLI,
 * migrations, tests). Same rules as in the full schema.
 */
export function databaseUrlFrom(source: Record<string, string | undefined>): string {
  const result = envSchema.shape.DATABASE_URL.safeParse(source.DATABASE_URL || undefined);
  if (result.success) return result.data;
  throw new InvalidEnvironmentError(result.error.issues.map((issue) => `DATABASE_URL ${issue.message}`));
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
