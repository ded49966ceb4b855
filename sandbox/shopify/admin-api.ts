import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { ApiVersion } from "@shopify/shopify-api";
import {
  GraphQLError,
  Kind,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

import { loadAdminSchema, parseAdminOperation } from "./admin-schema";
import {
  calculateActualQueryCost,
  calculateQueryCost,
  LeakyBuckets,
  MAX_SINGLE_QUERY_COST,
  maxCostExceededBody,
  throttledBody,
  type LeakyBucketOptions,
  type QueryCost,
} from "./cost";
import { executeAdminOperation } from "./resolvers";
import type { ShopifyState } from "./state";

/**
 * The simulated Shopify Admin GraphQL API over HTTP: `POST /admin/api/<ApiVersion.October26>/graphql.json`,
 * authenticated by `X-Shopify-Access-Token`, answering the way Shopify does (invalid documents get
 * HTTP 200 with an errors array, every executed operation carries `extensions.cost`), with a
 * per-shop leaky bucket and switchable faults for resilience tests.
 */

export type AdminApiFault = "up" | "down" | "slow" | "throttled";

export const ADMIN_GRAPHQL_PATH = `/admin/api/${ApiVersion.October26}/graphql.json`;
export const SANDBOX_SHOP_HEADER = "X-Sandbox-Shop";

export interface LoggedOperation {
  operationName: string | null;
  query: string;
  variables: Record<string, unknown> | null;
  shop: string;
  /** ISO timestamp of arrival. */
  at: string;
}

export interface AdminApiSimulatorOptions {
  state: ShopifyState;
  /** The access token the app must send for `shop`; undefined → every token is refused. */
  accessToken(shop: string): string | undefined;
  /** Shop used when a request names none (no X-Sandbox-Shop header, no *.myshopify.com host). */
  defaultShop?: string;
  /** How long the "slow" fault delays each answer. Default 30 000 ms. */
  slowDelayMs?: number;
  /** Refuse queries the bucket cannot afford (THROTTLED). Default false; see setThrottling. */
  throttling?: boolean;
  /** Clock of the leaky buckets and the operation log. Default Date.now. */
  now?: () => number;
  /** Bucket size and restore rate. Default 2000 points, 100 points/s. */
  bucket?: Omit<LeakyBucketOptions, "now">;
}

type JsonBody = Record<string, unknown>;

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "host",
  "content-length",
  "upgrade",
  "expect",
  "te",
  "trailer",
]);

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-Request-Id": randomUUID(),
      "X-Shopify-API-Version": ApiVersion.October26,
      ...headers,
    },
  });
}

function connectionRefused(address: string): TypeError {
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${address}`), {
    code: "ECONNREFUSED",
    errno: -111,
    syscall: "connect",
    address,
  });
  return new TypeError("fetch failed", { cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Errors the way Shopify (graphql-ruby) words them
// ---------------------------------------------------------------------------------------------

interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

interface NodeContext {
  path: string[];
  argumentName?: string;
  argumentType?: string;
  fieldName?: string;
}

/** graphql-ruby style path (["query Name", "shop", "... on Shop", "field"]) of an AST node. */
function contextOf(schema: GraphQLSchema, document: DocumentNode, target: ASTNode): NodeContext | undefined {
  const typeInfo = new TypeInfo(schema);
  let found: NodeContext | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node, _key, _parent, _path, ancestors) {
        if (found) return false;
        if (node !== target) return undefined;
        const chain = [...ancestors, node].filter(
          (a): a is ASTNode => !Array.isArray(a) && typeof a === "object" && a !== null && "kind" in a,
        );
        const path: string[] = [];
        let fieldName: string | undefined;
        let argumentName: string | undefined;
        for (const a of chain) {
          if (a.kind === Kind.OPERATION_DEFINITION) path.push(a.name ? `${a.operation} ${a.name.value}` : a.operation);
          else if (a.kind === Kind.FRAGMENT_DEFINITION) path.push(`fragment ${a.name.value}`);
          else if (a.kind === Kind.INLINE_FRAGMENT)
            path.push(a.typeCondition ? `... on ${a.typeCondition.name.value}` : "...");
          else if (a.kind === Kind.FIELD) {
            path.push(a.name.value);
            fieldName = a.name.value;
          } else if (a.kind === Kind.ARGUMENT) {
            path.push(a.name.value);
            argumentName = a.name.value;
          }
        }
        found = { path, fieldName, argumentName, argumentType: typeInfo.getArgument()?.type.toString() };
        return false;
      },
    }),
  );
  return found;
}

function operationLabel(document: DocumentNode | null, name?: string): string {
  if (name) return name;
  const ops =
    document?.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return ops.length === 1 && ops[0]?.name ? ops[0].name.value : "anonymous query";
}

/** Translates a graphql-js validation or syntax error into Shopify's wording and code. */
function shopifyValidationError(
  schema: GraphQLSchema,
  document: DocumentNode | null,
  error: GraphQLError,
): ShopifyError {
  const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }));
  const node = error.nodes?.[0];
  const context = document && node ? contextOf(schema, document, node) : undefined;
  const base = (message: string, extensions: Record<string, unknown>): ShopifyError => ({
    message,
    ...(locations ? { locations } : {}),
    ...(context && context.path.length > 0 ? { path: context.path } : {}),
    extensions,
  });
  const m = error.message;
  let match: RegExpExecArray | null;

  if (m.startsWith("Syntax Error:")) {
    const loc = locations?.[0];
    const detail = m.slice("Syntax Error:".length).trim();
    return {
      message: loc ? `Parse error: ${detail} at [${loc.line}, ${loc.column}]` : `Parse error: ${detail}`,
      ...(locations ? { locations } : {}),
      extensions: { code: "parseError" },
    };
  }
  if ((match = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(m))) {
    const [, fieldName = "", typeName = ""] = match;
    return base(`Field '${fieldName}' doesn't exist on type '${typeName}'`, {
      code: "undefinedField",
      typeName,
      fieldName,
    });
  }
  if ((match = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(m))) {
    const [, argumentName = "", , fieldName = ""] = match;
    return base(`Field '${fieldName}' doesn't accept argument '${argumentName}'`, {
      code: "argumentNotAccepted",
      name: fieldName,
      typeName: "Field",
      argumentName,
    });
  }
  if (
    (match = /^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\./.exec(m))
  ) {
    const [, fieldName = "", argumentName = ""] = match;
    return base(`Field '${fieldName}' is missing required arguments: ${argumentName}`, {
      code: "missingRequiredArguments",
      className: "Field",
      name: fieldName,
      arguments: argumentName,
    });
  }
  if ((match = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(m))) {
    const [, fieldName = "", typeName = ""] = match;
    const bare = typeName.replace(/[[\]!]/g, "");
    return base(
      `Field must have selections (field '${fieldName}' returns ${bare} but has no selections. Did you mean '${fieldName} { ... }'?)`,
      {
        code: "selectionMismatch",
        nodeName: `field '${fieldName}'`,
        typeName: bare,
      },
    );
  }
  if ((match = /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\./.exec(m))) {
    const [, fieldName = "", typeName = ""] = match;
    return base(
      `Selections can't be made on scalars (field '${fieldName}' returns ${typeName.replace(/!$/, "")} but has selections)`,
      {
        code: "selectionMismatch",
        nodeName: `field '${fieldName}'`,
        typeName: typeName.replace(/!$/, ""),
      },
    );
  }
  if ((match = /^Unknown type "([^"]+)"\./.exec(m))) {
    const [, typeName = ""] = match;
    return base(`No such type ${typeName}, so it can't be a fragment condition`, { code: "undefinedType", typeName });
  }
  if ((match = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(m))) {
    const [, variableName = "", op] = match;
    return base(`Variable $${variableName} is declared by ${operationLabel(document, op)} but not used`, {
      code: "variableNotUsed",
      variableName,
    });
  }
  if ((match = /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?\./.exec(m))) {
    const [, variableName = "", op] = match;
    return base(`Variable $${variableName} is used by ${operationLabel(document, op)} but not declared`, {
      code: "variableNotDefined",
      variableName,
    });
  }
  if ((match = /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./.exec(m))) {
    const [, variableName = "", actual = "", expected = ""] = match;
    return base(
      `Nullability mismatch on variable $${variableName} and argument ${context?.argumentName ?? ""} (${actual} / ${expected})`,
      {
        code: "variableMismatch",
        variableName,
        typeName: actual,
        argumentName: context?.argumentName ?? null,
      },
    );
  }
  if ((match = /^Unknown fragment "([^"]+)"\./.exec(m))) {
    return base(`Fragment ${match[1] ?? ""} was used, but not defined`, {
      code: "useAndDefineFragment",
      fragmentName: match[1],
    });
  }
  if ((match = /^Fragment "([^"]+)" is never used\./.exec(m))) {
    return base(`Fragment ${match[1] ?? ""} was defined, but not used`, {
      code: "useAndDefineFragment",
      fragmentName: match[1],
    });
  }
  if (/cannot represent|^Expected value of type|^Enum "[^"]+" cannot represent/.test(m) && context?.argumentName) {
    const value = node ? print(node) : "";
    return base(
      `Argument '${context.argumentName}' on Field '${context.fieldName ?? ""}' has an invalid value (${value}). Expected type '${context.argumentType ?? ""}'.`,
      { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: context.argumentName },
    );
  }
  if (m.startsWith('Fields "')) return base(m, { code: "fieldConflict" });
  return base(m, { code: "validationError" });
}

/** Errors graphql-js raises before executing (variables, operation selection), reworded. */
function shopifyRequestError(
  document: DocumentNode,
  error: GraphQLError,
  variables: Record<string, unknown>,
): ShopifyError | GraphQLFormattedError {
  const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }));
  const m = error.message;
  const match =
    /^Variable "\$([^"]+)" (?:of required type "([^"]+)" was not provided|of non-null type "([^"]+)" must not be null|got invalid value (.*?)(?: at "([^"]+)")?; ([\s\S]*))\.?$/.exec(
      m,
    );
  if (match) {
    const [, name = "", requiredType, nonNullType, , at, explanation] = match;
    let type = requiredType ?? nonNullType;
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const def = d.variableDefinitions?.find((v) => v.variable.name.value === name);
      if (def) type = print(def.type);
    }
    const problemPath = at
      ? at
          .split(".")
          .slice(1)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
      : [];
    return {
      message: `Variable $${name} of type ${type ?? "unknown"} was provided invalid value`,
      ...(locations ? { locations } : {}),
      extensions: {
        value: variables[name] ?? null,
        problems: [{ path: problemPath, explanation: explanation ?? "Expected value to not be null" }],
      },
    };
  }
  if (m.startsWith("Must provide operation name"))
    return { message: "An operation name is required", extensions: { code: "operationNameRequired" } };
  if (/^Unknown operation named "([^"]+)"/.exec(m))
    return { message: `No operation named "${/"([^"]+)"/.exec(m)?.[1] ?? ""}"` };
  return error.toJSON();
}

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

interface PendingDelay {
  timer: ReturnType<typeof setTimeout>;
  finish(): void;
}

export class AdminApiSimulator {
  readonly schema: GraphQLSchema;
  readonly state: ShopifyState;
  readonly buckets: LeakyBuckets;
  private readonly accessToken: (shop: string) => string | undefined;
  private readonly defaultShop: string | undefined;
  private readonly slowDelayMs: number;
  private readonly clock: () => number;
  private throttlingEnabled: boolean;
  private currentFault: AdminApiFault = "up";
  private log: LoggedOperation[] = [];
  private readonly pending = new Set<PendingDelay>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private address: { port: number; host: string } | undefined;
  private listening = false;
  private transition: Promise<void> = Promise.resolve();

  constructor(options: AdminApiSimulatorOptions) {
    this.schema = loadAdminSchema();
    this.state = options.state;
    this.accessToken = options.accessToken;
    this.defaultShop = options.defaultShop;
    this.slowDelayMs = options.slowDelayMs ?? 30_000;
    this.throttlingEnabled = options.throttling ?? false;
    this.clock = options.now ?? Date.now;
    this.buckets = new LeakyBuckets({ ...options.bucket, now: this.clock });
  }

  get fault(): AdminApiFault {
    return this.currentFault;
  }

  get throttling(): boolean {
    return this.throttlingEnabled;
  }

  /** Operations received (authenticated, parsed bodies), oldest first. */
  get operations(): readonly LoggedOperation[] {
    return this.log;
  }

  /** Origin of the listening server (http://127.0.0.1:PORT), once listen() resolved. */
  get url(): string | undefined {
    return this.address
      ? `http://${this.address.host.includes(":") ? `[${this.address.host}]` : this.address.host}:${this.address.port}`
      : undefined;
  }

  resetLog(): void {
    this.log = [];
  }

  setThrottling(enabled: boolean): void {
    this.throttlingEnabled = enabled;
  }

  /**
   * Switches the fault mode. "down" closes the listening socket and destroys open connections
   * (fetches get ECONNREFUSED); leaving "down" listens again on the same port.
   */
  setFault(mode: AdminApiFault): Promise<void> {
    // Serialised; a failed transition (e.g. the port was taken meanwhile) does not block later ones.
    this.transition = this.transition
      .catch(() => undefined)
      .then(async () => {
        const previous = this.currentFault;
        this.currentFault = mode;
        if (!this.server || !this.address) return;
        if (mode === "down" && previous !== "down") await this.stopListening();
        if (mode !== "down" && previous === "down") await this.startListening(this.address.port, this.address.host);
      });
    return this.transition;
  }

  /** Fetch-style entry point, usable in-process. Throws like fetch when the API is "down". */
  async handle(request: Request): Promise<Response> {
    if (this.currentFault === "down") {
      const url = new URL(request.url);
      throw connectionRefused(`${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`);
    }
    if (this.currentFault === "slow") await this.delay(this.slowDelayMs, request.signal);

    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== ADMIN_GRAPHQL_PATH) {
      return jsonResponse(404, { errors: "Not Found" });
    }
    const shop = this.shopOf(request, url);
    if (!shop) {
      return jsonResponse(400, {
        errors: `Name the shop with the ${SANDBOX_SHOP_HEADER} header (no default shop is configured)`,
      });
    }
    const expected = this.accessToken(shop);
    const token = request.headers.get("X-Shopify-Access-Token");
    if (!expected || token !== expected) {
      return jsonResponse(401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }

    const body = await this.readBody(request);
    if (!body) return jsonResponse(400, { errors: { query: "Required parameter missing or invalid" } });
    const { query, variables } = body;
    const parsed = parseAdminOperation(query);
    this.log.push({
      operationName: body.operationName ?? this.soleOperationName(parsed.document),
      query,
      variables,
      shop,
      at: new Date(this.clock()).toISOString(),
    });

    const bucket = this.buckets.for(shop);
    const requested =
      parsed.document && parsed.errors.length === 0
        ? calculateQueryCost(this.schema, parsed.document, variables, body.operationName)
        : 0;
    if (this.currentFault === "throttled") {
      const status = bucket.status();
      return jsonResponse(
        200,
        throttledBody({
          requestedQueryCost: requested,
          actualQueryCost: null,
          throttleStatus: { ...status, currentlyAvailable: 0 },
        }),
      );
    }
    if (!parsed.document || parsed.errors.length > 0) {
      return jsonResponse(200, {
        errors: parsed.errors.map((e) => shopifyValidationError(this.schema, parsed.document, e)),
      });
    }
    if (requested > MAX_SINGLE_QUERY_COST) {
      return jsonResponse(200, maxCostExceededBody(requested, bucket.status()));
    }
    if (this.throttlingEnabled && !bucket.canAfford(requested)) {
      return jsonResponse(
        200,
        throttledBody({ requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() }),
      );
    }

    bucket.take(requested);
    const { result, search } = await executeAdminOperation({
      schema: this.schema,
      state: this.state,
      shop,
      document: parsed.document,
      variables,
      operationName: body.operationName,
    });
    if (result.data === undefined) {
      // graphql-js rejected the request before executing (variables, operation selection).
      bucket.refund(requested);
      return jsonResponse(200, {
        errors: (result.errors ?? []).map((e) =>
          shopifyRequestError(parsed.document as DocumentNode, e, variables ?? {}),
        ),
      });
    }
    const actual = calculateActualQueryCost(this.schema, parsed.document, variables, result.data, body.operationName);
    bucket.refund(requested - actual);
    const cost: QueryCost = { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() };
    return jsonResponse(200, {
      ...(result.errors && result.errors.length > 0 ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      data: result.data,
      extensions: { cost, ...(search.length > 0 ? { search } : {}) },
    });
  }

  /** Starts an HTTP server on 127.0.0.1 (port 0 = any free port) that answers through handle(). */
  async listen(port = 0, host = "127.0.0.1"): Promise<{ url: string }> {
    if (this.server) throw new Error("AdminApiSimulator is already listening");
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await this.startListening(port, host);
    const url = this.url;
    if (!url) throw new Error("AdminApiSimulator: no address after listen");
    if (this.currentFault === "down") await this.stopListening();
    return { url };
  }

  /** Stops the server (if any) and releases delayed answers. */
  async close(): Promise<void> {
    await this.transition.catch(() => undefined);
    for (const pending of [...this.pending]) pending.finish();
    if (this.server) await this.stopListening();
    this.server = undefined;
    this.address = undefined;
  }

  // -------------------------------------------------------------------------------------------

  private shopOf(request: Request, url: URL): string | undefined {
    const header = request.headers.get(SANDBOX_SHOP_HEADER)?.trim();
    if (header) return header;
    if (url.hostname.endsWith(".myshopify.com")) return url.hostname;
    return this.defaultShop;
  }

  private soleOperationName(document: DocumentNode | null): string | null {
    const ops =
      document?.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) ?? [];
    return ops.length === 1 ? (ops[0]?.name?.value ?? null) : null;
  }

  private async readBody(
    request: Request,
  ): Promise<{ query: string; variables: Record<string, unknown> | null; operationName: string | null } | null> {
    const text = await request.text();
    if ((request.headers.get("Content-Type") ?? "").includes("application/graphql")) {
      return text.trim() ? { query: text, variables: null, operationName: null } : null;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isRecord(body) || typeof body.query !== "string" || body.query.trim() === "") return null;
    let variables: unknown = body.variables ?? null;
    if (typeof variables === "string") {
      try {
        variables = JSON.parse(variables);
      } catch {
        return null;
      }
    }
    if (variables !== null && !isRecord(variables)) return null;
    const operationName =
      typeof body.operationName === "string" && body.operationName !== "" ? body.operationName : null;
    return { query: body.query, variables: variables as JsonBody | null, operationName };
  }

  private delay(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(entry.timer);
        this.pending.delete(entry);
        reject(signal.reason);
      };
      const entry: PendingDelay = {
        timer: setTimeout(() => entry.finish(), ms),
        finish: () => {
          clearTimeout(entry.timer);
          this.pending.delete(entry);
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.pending.add(entry);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  private startListening(port: number, host: string): Promise<void> {
    const server = this.server;
    if (!server || this.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        server.off("listening", onListening);
        reject(error);
      };
      const onListening = () => {
        server.off("error", onError);
        const address = server.address() as AddressInfo;
        this.address = { port: address.port, host };
        this.listening = true;
        resolve();
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen(port, host);
    });
  }

  private stopListening(): Promise<void> {
    const server = this.server;
    if (!server || !this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("client went away"));
    });
    let response: Response;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else headers.set(name, value);
      }
      const base = this.url ?? `http://${req.headers.host ?? "127.0.0.1"}`;
      const method = req.method ?? "GET";
      response = await this.handle(
        new Request(new URL(req.url ?? "/", base), {
          method,
          headers,
          body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
          signal: controller.signal,
        }),
      );
    } catch (error) {
      if (controller.signal.aborted || res.destroyed) return;
      if (error instanceof TypeError && error.message === "fetch failed") {
        req.socket.destroy();
        return;
      }
      response = jsonResponse(500, {
        errors: `Pointwise sandbox: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    try {
      if (res.destroyed || res.writableEnded) return;
      const payload = Buffer.from(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      res.writeHead(response.status, { ...headers, "Content-Length": String(payload.length) });
      res.end(payload);
    } catch {
      res.destroy();
    }
  }
}
