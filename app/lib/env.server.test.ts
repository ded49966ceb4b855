import { describe, expect, it } from "vitest";

import { InvalidEnvironmentError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://pointwise.example.com",
  ENCRYPTION_KEY: "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=",
};

describe("parseEnv", () => {
  it("GIVEN the required variables THEN applies the documented defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("file:prisma/dev.db");
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe("development");
  });

  it("GIVEN a missing secret THEN the error names SHOPIFY_API_SECRET", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_API_SECRET: undefined })).toThrow(/SHOPIFY_API_SECRET/);
  });

  it("GIVEN several bad variables THEN one error names each of them", () => {
    try {
      parseEnv({ SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x", PORT: "http" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      const message = (error as Error).message;
      for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "DATABASE_URL", "PORT"]) {
        expect(message).toContain(name);
      }
    }
  });

  it("GIVEN a PostgreSQL URL THEN it is accepted", () => {
    expect(parseEnv({ ...valid, DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" }).DATABASE_URL).toMatch(
      /^postgresql/,
    );
  });

  it("GIVEN an empty variable THEN it counts as unset", () => {
    expect(parseEnv({ ...valid, PORT: "" }).PORT).toBe(3000);
  });

  it("GIVEN production WHEN the sandbox Admin API is configured THEN start-up is refused", () => {
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "production", POINTWISE_SANDBOX_ADMIN_API_URL: "http://127.0.0.1:4000" }),
    ).toThrow(/POINTWISE_SANDBOX_ADMIN_API_URL must not be set in production/);
  });

  describe("ENCRYPTION_KEY", () => {
    const hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    it("GIVEN 32 bytes as hex, base64 or base64url THEN it is the key's bytes", () => {
      const bytes = Buffer.from(hex, "hex");
      for (const text of [hex, hex.toUpperCase(), bytes.toString("base64"), bytes.toString("base64url")]) {
        expect(parseEnv({ ...valid, ENCRYPTION_KEY: text }).ENCRYPTION_KEY.equals(bytes), text).toBe(true);
      }
    });

    it("GIVEN no key THEN start-up is refused, naming the variable and how to make one", () => {
      expect(() => parseEnv({ ...valid, ENCRYPTION_KEY: undefined })).toThrow(
        /ENCRYPTION_KEY is required: 32 random bytes .*openssl rand -base64 32/,
      );
      expect(() => parseEnv({ ...valid, ENCRYPTION_KEY: "" })).toThrow(/ENCRYPTION_KEY is required/);
    });

    it.each([
      ["too short", hex.slice(0, 62)],
      ["too long", `${hex}00`],
      ["16 bytes of base64", Buffer.alloc(16, 7).toString("base64")],
      ["not base64", "!".repeat(44)],
      ["non-canonical base64", `${Buffer.from(hex, "hex").toString("base64url").slice(0, 42)}B`],
      ["one repeated byte", "0".repeat(64)],
      ["a placeholder", "change-me"],
    ])("GIVEN a key that is %s THEN start-up is refused without echoing it", (_case, text) => {
      try {
        parseEnv({ ...valid, ENCRYPTION_KEY: text });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidEnvironmentError);
        expect((error as Error).message).toContain("ENCRYPTION_KEY must be 32 random bytes");
        expect((error as Error).message).not.toContain(text);
      }
    });
  });
});
