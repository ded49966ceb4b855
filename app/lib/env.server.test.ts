import { describe, expect, it } from "vitest";

import { InvalidEnvironmentError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://pointwise.example.com",
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
});
