import { existsSync, globSync, readFileSync } from "node:fs";

import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

import { ADMIN_API_VERSION } from "./api-version";
import { SCOPES } from "./scopes";

interface AppToml {
  embedded: boolean;
  access_scopes: { scopes: string };
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  app_proxy: { url: string; subpath: string; prefix: string };
}

const tomlText = readFileSync("shopify.app.toml", "utf8");
const toml = parse(tomlText) as unknown as AppToml;

/** The Remix flat-routes file that serves a URI like /webhooks/orders/paid. */
const routeFile = (uri: string) => `app/routes/${uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`;

describe("shopify.app.toml", () => {
  it("is an embedded app on the one API version of the code", () => {
    expect(toml.embedded).toBe(true);
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
  });

  it("asks for exactly the scopes the code declares", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual([...SCOPES].sort());
  });

  it("names, beside each webhook subscription, the route file that handles it, and that file exists", () => {
    for (const subscription of toml.webhooks.subscriptions) {
      const file = routeFile(subscription.uri);
      expect(existsSync(file), `${file} for ${subscription.uri}`).toBe(true);
      const uriAt = tomlText.indexOf(`uri = "${subscription.uri}"`);
      const blockAt = tomlText.lastIndexOf("[[webhooks.subscriptions]]", uriAt);
      const lineBefore = tomlText.slice(0, blockAt).trimEnd().split("\n").at(-1)?.trim();
      expect(lineBefore, `comment naming ${file}`).toBe(`# handled by ${file}`);
    }
  });

  it("sends the storefront's app proxy to the app's /proxy routes", () => {
    expect(new URL(toml.app_proxy.url).pathname).toBe("/proxy");
    expect(toml.app_proxy).toMatchObject({ prefix: "apps", subpath: "pointwise" });
    expect(existsSync("app/routes/proxy._index.tsx")).toBe(true);
  });
});

describe("the API version", () => {
  it("is spelled out nowhere in the code: everything uses ADMIN_API_VERSION (ApiVersion.October26)", () => {
    const files = globSync([
      "app/**/*.{ts,tsx}",
      "sandbox/**/*.ts",
      "scripts/**/*.{ts,mjs}",
      "test/**/*.ts",
      ".graphqlrc.ts",
    ]).filter((name) => !name.startsWith("app/types/") && !name.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => /["'`/]20\d\d-(01|04|07|10)["'`/]/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
    expect(ADMIN_API_VERSION).toBe("2026-10");
  });
});
