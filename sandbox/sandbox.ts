import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

import { generateSecret } from "../app/modules/api-keys/api-keys.server";
import { ADMIN_API_VERSION } from "../app/shopify/api-version";
import { prismaCli, enableWal } from "../scripts/migrations";

import { seedSandbox, SANDBOX_SHOP } from "./seed";
import { AdminApiSimulator } from "./shopify/admin-api";
import { createShopifyState } from "./shopify/state";
import { appProxyParams, hostParameter, signAppProxyQuery, signSessionToken } from "./signing";

const root = resolve(import.meta.dirname, "..");
const FAULTS = ["up", "down", "slow", "throttled"] as const;
type Fault = (typeof FAULTS)[number];

/** What a running sandbox tells the world: sandbox/sandbox.json (see README "The sandbox"). */
export interface SandboxInfo {
  appUrl: string;
  shop: string;
  apiKey: string;
  apiSecret: string;
  adminApiUrl: string;
  adminUrl: string;
  storefrontUrl: string | null;
  apiKeys: { fullAccess: string; readOnly: string };
}

export interface SandboxOptions {
  /** Folder for sandbox.json and data/ (the SQLite file, Shopify's simulated state). */
  dir?: string;
  port?: number;
  /** How long the "slow" fault delays Admin API answers. */
  slowDelayMs?: number;
  log?: (line: string) => void;
}

interface Credentials {
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  encryptionKey: string;
  restApiKeys: { fullAccess: string; readOnly: string };
}

/** The app's credentials in this sandbox: made on first start, kept in data/ after that. */
function loadCredentials(dataDir: string): Credentials {
  const file = join(dataDir, "credentials.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<Credentials>) : {};
  const credentials: Credentials = {
    apiKey: stored.apiKey ?? `sandbox-${randomBytes(8).toString("hex")}`,
    apiSecret: stored.apiSecret ?? randomBytes(32).toString("hex"),
    accessToken: stored.accessToken ?? `shpat_${randomBytes(16).toString("hex")}`,
    // Kept with the database it encrypts secrets in: a new key would make them unreadable.
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString("base64"),
    restApiKeys: stored.restApiKeys ?? { fullAccess: generateSecret(), readOnly: generateSecret() },
  };
  writeFileSync(file, JSON.stringify(credentials, null, 2));
  return credentials;
}

/**
 * Starts the whole sandbox in this process: migrations on a SQLite file under `dir`, the
 * simulated Admin API, demo data, and the real app behind Vite. Resolves once sandbox.json is
 * written.
 */
export async function startSandbox(options: SandboxOptions = {}) {
  if (process.env.NODE_ENV === "production") {
    throw new Error("The sandbox never runs with NODE_ENV=production.");
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = resolve(options.dir ?? join(root, "sandbox"));
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true });
  const infoFile = join(dir, "sandbox.json");
  rmSync(infoFile, { force: true });

  const credentials = loadCredentials(dataDir);
  const databaseUrl = `file:${join(dataDir, "pointwise.db")}`;
  await prismaCli(["migrate", "deploy"], databaseUrl);
  log(`Database ready: ${databaseUrl}`);
  await enableWal(databaseUrl);

  const state = createShopifyState({ persistPath: join(dataDir, "shopify-state.json") });
  const simulator = new AdminApiSimulator({
    state,
    accessToken: (shop) => (shop === SANDBOX_SHOP ? credentials.accessToken : undefined),
    defaultShop: SANDBOX_SHOP,
    ...(options.slowDelayMs === undefined ? {} : { slowDelayMs: options.slowDelayMs }),
  });
  const { url: simulatorOrigin } = await simulator.listen(0);

  const app = express();
  const httpServer: Server = createServer(app);
  await new Promise<void>((ready) => httpServer.listen(options.port ?? 3000, "127.0.0.1", ready));
  const port = (httpServer.address() as AddressInfo).port;
  const appUrl = `http://localhost:${port}`;

  // The app reads its configuration from the environment, as in production.
  Object.assign(process.env, {
    NODE_ENV: "development",
    SHOPIFY_API_KEY: credentials.apiKey,
    SHOPIFY_API_SECRET: credentials.apiSecret,
    ENCRYPTION_KEY: credentials.encryptionKey,
    SHOPIFY_APP_URL: appUrl,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    POINTWISE_SANDBOX_ADMIN_API_URL: simulatorOrigin,
  });

  const { database, closeDatabase } = await import("../app/db.server");
  await seedSandbox({
    db: database(),
    state,
    accessToken: credentials.accessToken,
    restApiKeys: credentials.restApiKeys,
  });
  await state.flush();

  // The worker, in-process: processes the webhook inbox (and the periodic jobs) as `npm run worker` does.
  const { startWorker } = await import("../app/jobs/worker.server");
  const { periodicJobs } = await import("../app/jobs/jobs.server");
  const worker = startWorker(database(), { pollMs: 500, jobs: periodicJobs(), log });

  const sessionToken = () =>
    signSessionToken({ shop: SANDBOX_SHOP, apiKey: credentials.apiKey, apiSecret: credentials.apiSecret });
  const embeddedQuery = async () =>
    new URLSearchParams({
      embedded: "1",
      shop: SANDBOX_SHOP,
      host: hostParameter(SANDBOX_SHOP),
      id_token: await sessionToken(),
    });

  const sandbox = express.Router();
  sandbox.use(express.json());
  sandbox.get("/faults", (_req, res) => {
    res.json({ shopify: simulator.fault });
  });
  sandbox.post("/faults", async (req, res) => {
    const mode = (req.body as { shopify?: unknown } | undefined)?.shopify;
    if (!FAULTS.includes(mode as Fault)) {
      res
        .status(400)
        .json({ error: { code: "invalid_fault", message: `shopify must be one of ${FAULTS.join(", ")}` } });
      return;
    }
    await simulator.setFault(mode as Fault);
    res.json({ shopify: simulator.fault });
  });
  // Shopify's cost-based leaky bucket (2,000 points, 100 restored per second), off unless asked for.
  sandbox.get("/throttling", (_req, res) => {
    res.json({ enabled: simulator.throttling });
  });
  sandbox.post("/throttling", (req, res) => {
    const enabled = (req.body as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== "boolean") {
      res.status(400).json({ error: { code: "invalid_throttling", message: "enabled must be true or false" } });
      return;
    }
    simulator.setThrottling(enabled);
    res.json({ enabled: simulator.throttling });
  });
  sandbox.get("/session-token", async (req, res) => {
    if (req.query.shop && req.query.shop !== SANDBOX_SHOP) {
      res.status(404).json({ error: { code: "unknown_shop", message: "The sandbox has one shop." } });
      return;
    }
    res.set("Cache-Control", "no-store").json({ token: await sessionToken() });
  });
  sandbox.get("/app-bridge.js", (_req, res) => {
    const standin = readFileSync(join(import.meta.dirname, "app-bridge-standin.js"), "utf8");
    const config = { shop: SANDBOX_SHOP, host: hostParameter(SANDBOX_SHOP), apiKey: credentials.apiKey };
    res
      .type("application/javascript")
      .set("Cache-Control", "no-store")
      .send(`window.__POINTWISE_SANDBOX__ = ${JSON.stringify(config)};\n${standin}`);
  });
  // Opens the embedded admin the way Shopify admin would: with a fresh session token.
  sandbox.get("/admin", async (req, res) => {
    const path = typeof req.query.path === "string" && req.query.path.startsWith("/app") ? req.query.path : "/app";
    res.redirect(`${path}?${(await embeddedQuery()).toString()}`);
  });
  app.use("/sandbox", sandbox);

  // A webhook the sandbox receives is processed before its 200 leaves, so `npm run sandbox:webhook`
  // has acted when it returns (the app itself only stores it; the worker does the work).
  app.use("/webhooks", (req, res, next) => {
    if (req.method !== "POST") return next();
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      void worker.wake().finally(() => end(...args));
      return res;
    }) as typeof res.end;
    next();
  });

  // Shopify admin's bounce page: App Bridge fetches a session token and reloads the target.
  app.get("/auth/session-token", async (req, res) => {
    const reload = typeof req.query["shopify-reload"] === "string" ? req.query["shopify-reload"] : "/app";
    const target = new URL(reload, appUrl);
    if (target.origin !== new URL(appUrl).origin) {
      res.status(400).send("shopify-reload must stay on the app");
      return;
    }
    target.searchParams.set("id_token", await sessionToken());
    res.redirect(target.pathname + target.search);
  });

  // Shopify's app proxy: /apps/pointwise/* on the storefront reaches /proxy/* on the app, signed.
  // The shopper is named by the `X-Sandbox-Customer` header or the `sandbox_customer` cookie.
  app.all(/^\/apps\/pointwise(\/.*)?$/, (req, res, next) => {
    const customerId =
      req.get("X-Sandbox-Customer") ?? /(?:^|;\s*)sandbox_customer=(\d+)/.exec(req.get("Cookie") ?? "")?.[1] ?? "";
    const incoming = new URL(req.originalUrl, appUrl);
    const params: Record<string, string> = Object.fromEntries(incoming.searchParams);
    const signed = signAppProxyQuery(
      { ...params, ...appProxyParams({ shop: SANDBOX_SHOP, customerId }) },
      credentials.apiSecret,
    );
    // Remix's Express adapter builds the request URL from originalUrl.
    req.url = req.originalUrl = `${incoming.pathname.replace(/^\/apps\/pointwise/, "/proxy")}?${signed.toString()}`;
    next();
  });

  const { createServer: createViteServer } = await import("vite");
  const vite = await createViteServer({
    root,
    configFile: join(root, "vite.config.ts"),
    appType: "custom",
    server: { middlewareMode: true, hmr: { server: httpServer } },
    logLevel: "warn",
  });
  app.use(vite.middlewares);
  app.use(async (req, res, next) => {
    try {
      const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
      await createRequestHandler({ build, mode: "development" })(req, res, next);
    } catch (error) {
      next(error);
    }
  });

  const info: SandboxInfo = {
    appUrl,
    shop: SANDBOX_SHOP,
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    adminApiUrl: `${simulatorOrigin}/admin/api/${ADMIN_API_VERSION}/graphql.json`,
    adminUrl: `${appUrl}/sandbox/admin`,
    // The storefront widget arrives with the theme app extension (issue 8); until then there is no page.
    storefrontUrl: null,
    apiKeys: credentials.restApiKeys,
  };
  writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    rmSync(infoFile, { force: true });
    await vite.close();
    httpServer.closeAllConnections();
    await new Promise((done) => httpServer.close(done));
    await worker.stop();
    await simulator.close();
    await state.flush();
    await closeDatabase();
  };
  return { info, infoFile, simulator, state, close };
}
