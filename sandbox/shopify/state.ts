import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * In-memory state of one or more simulated Shopify shops, optionally persisted to a JSON file.
 *
 * Records are stored in the shape the Admin GraphQL schema returns them (with `__typename`, gids,
 * Decimal amounts as strings, DateTimes as ISO strings without milliseconds), so the resolvers can
 * hand most of them to graphql-js as they are. Ids are sequential per shop and per type.
 */

// ---------------------------------------------------------------------------------------------
// Small value helpers shared with the resolvers
// ---------------------------------------------------------------------------------------------

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object that stands for a member of a GraphQL union or interface. */
export interface TypedObject {
  __typename: string;
  [key: string]: JsonValue;
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export interface MoneyBag {
  shopMoney: MoneyV2;
  presentmentMoney: MoneyV2;
}

const DECIMAL_SCALE = 1_000_000n;

/** Parses a Decimal (string or number) into an integer scaled by 10^6; throws on garbage. */
export function parseDecimal(value: string | number): bigint {
  const text = typeof value === "number" ? value.toFixed(6) : value.trim();
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new Error(`Invalid decimal: ${String(value)}`);
  }
  const sign = match[1] === "-" ? -1n : 1n;
  const whole = BigInt(match[2] || "0");
  const fraction = (match[3] ?? "").padEnd(7, "0");
  let scaled = whole * DECIMAL_SCALE + BigInt(fraction.slice(0, 6));
  if (Number(fraction[6]) >= 5) scaled += 1n;
  return sign * scaled;
}

export function isDecimal(value: unknown): value is string | number {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "string") return false;
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim());
}

/** Formats a scaled decimal the way Shopify serialises Decimal: "10.0", "10.5", "10.25". */
export function formatDecimal(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const whole = abs / DECIMAL_SCALE;
  let fraction = (abs % DECIMAL_SCALE).toString().padStart(6, "0").replace(/0+$/, "");
  if (fraction === "") fraction = "0";
  return `${negative ? "-" : ""}${whole.toString()}.${fraction}`;
}

export function normalizeDecimal(value: string | number): string {
  return formatDecimal(parseDecimal(value));
}

export function addDecimals(...values: (string | number)[]): string {
  return formatDecimal(values.reduce<bigint>((sum, value) => sum + parseDecimal(value), 0n));
}

export function money(amount: string | number, currencyCode: string): MoneyV2 {
  return { amount: normalizeDecimal(amount), currencyCode };
}

export function moneyBag(amount: string | number, currencyCode: string): MoneyBag {
  return { shopMoney: money(amount, currencyCode), presentmentMoney: money(amount, currencyCode) };
}

/** Shopify's DateTime serialisation: ISO 8601 in UTC without milliseconds. */
export function isoDateTime(value: Date | number | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid date: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** `{ type, id }` of a Shopify gid (`gid://shopify/Customer/12?x=y`), or null. */
export function parseGid(value: string): { type: string; id: string } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z0-9]+)\/([^/?#]+)/.exec(value);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  return { type: match[1], id: match[2] };
}

/** The numeric tail of a gid ("gid://shopify/Customer/12" → "12"), or null. */
export function legacyIdOf(value: string): string | null {
  const parsed = parseGid(value);
  return parsed && /^\d+$/.test(parsed.id) ? parsed.id : null;
}

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export interface ShopPlan {
  displayName: string;
  partnerDevelopment: boolean;
  publicDisplayName: string;
  shopifyPlus: boolean;
}

export interface ShopRecord {
  __typename: "Shop";
  id: string;
  name: string;
  email: string;
  contactEmail: string;
  shopOwnerName: string;
  myshopifyDomain: string;
  currencyCode: string;
  enabledPresentmentCurrencies: string[];
  ianaTimezone: string;
  plan: ShopPlan;
  createdAt: string;
  updatedAt: string;
}

export interface ShopInit {
  name?: string;
  email?: string;
  shopOwnerName?: string;
  currencyCode?: string;
  enabledPresentmentCurrencies?: string[];
  ianaTimezone?: string;
  plan?: Partial<ShopPlan>;
}

export interface CustomerRecord {
  __typename: "Customer";
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  locale: string;
  tags: string[];
  taxExempt: boolean;
  state: "DECLINED" | "DISABLED" | "ENABLED" | "INVITED";
  verifiedEmail: boolean;
  emailMarketingState: string;
  numberOfOrders: number;
  amountSpent: MoneyV2;
  createdAt: string;
  updatedAt: string;
}

export interface RedeemCodeRecord {
  __typename: "DiscountRedeemCode";
  id: string;
  code: string;
  asyncUsageCount: number;
}

export type CodeDiscountType = "DiscountCodeBasic" | "DiscountCodeFreeShipping" | "DiscountCodeBxgy";

export interface CombinesWith {
  orderDiscounts: boolean;
  productDiscounts: boolean;
  shippingDiscounts: boolean;
  productDiscountsWithTagsOnSameCartLine: string[] | null;
}

/** The `codeDiscount` of a DiscountCodeNode (DiscountCodeBasic / FreeShipping / Bxgy). */
export interface CodeDiscountRecord {
  __typename: CodeDiscountType;
  title: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  codes: RedeemCodeRecord[];
  /** DiscountBuyerSelectionAll `{ all: "ALL" }` or DiscountCustomers `{ customerIds }` (see resolvers). */
  context: TypedObject;
  /** DiscountCustomerGets shape: `{ value: TypedObject, items: TypedObject, appliesOn… }`. */
  customerGets: { [key: string]: JsonValue } | null;
  customerBuys: { [key: string]: JsonValue } | null;
  minimumRequirement: TypedObject | null;
  combinesWith: CombinesWith;
  tags: string[];
  recurringCycleLimit: number | null;
  usesPerOrderLimit: number | null;
  destinationSelection: TypedObject | null;
  maximumShippingPrice: MoneyV2 | null;
  appliesOnOneTimePurchase: boolean;
  appliesOnSubscription: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DiscountCodeNodeRecord {
  __typename: "DiscountCodeNode";
  id: string;
  codeDiscount: CodeDiscountRecord;
}

export interface MetafieldRecord {
  __typename: "Metafield";
  id: string;
  ownerId: string;
  ownerType: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  compareDigest: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface MetafieldDefinitionRecord {
  __typename: "MetafieldDefinition";
  id: string;
  name: string;
  namespace: string;
  key: string;
  ownerType: string;
  description: string | null;
  type: { name: string; category: string };
  validations: { name: string; value: string | null; type: string }[];
  pinnedPosition: number | null;
  access: { admin: string | null; storefront: string | null; customerAccount: string };
  createdAt: string;
}

export interface LineItemRecord {
  __typename: "LineItem";
  id: string;
  title: string;
  name: string;
  quantity: number;
  sku: string | null;
  variantTitle: string | null;
  originalUnitPriceSet: MoneyBag;
  originalTotalSet: MoneyBag;
}

export interface OrderRecord {
  __typename: "Order";
  id: string;
  name: string;
  number: number;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  totalPriceSet: MoneyBag;
  subtotalPriceSet: MoneyBag;
  totalDiscountsSet: MoneyBag;
  discountCodes: string[];
  lineItems: LineItemRecord[];
  tags: string[];
  note: string | null;
  test: boolean;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  cancelledAt: string | null;
  processedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoreCreditAccountRecord {
  __typename: "StoreCreditAccount";
  id: string;
  ownerId: string;
  balance: MoneyV2;
}

export interface StoreCreditTransactionRecord {
  __typename: "StoreCreditAccountCreditTransaction" | "StoreCreditAccountDebitTransaction";
  id: string;
  accountId: string;
  amount: MoneyV2;
  balanceAfterTransaction: MoneyV2;
  remainingAmount: MoneyV2 | null;
  event: string;
  expiresAt: string | null;
  createdAt: string;
  origin: null;
}

export interface AppRecord {
  __typename: "App";
  id: string;
  title: string;
  handle: string;
  apiKey: string;
  embedded: boolean;
}

export interface AppInstallationRecord {
  __typename: "AppInstallation";
  id: string;
  app: AppRecord;
  launchUrl: string;
  uninstallUrl: null;
  accessScopes: { handle: string; description: string }[];
}

export type NodeRecord =
  | ShopRecord
  | CustomerRecord
  | DiscountCodeNodeRecord
  | MetafieldRecord
  | MetafieldDefinitionRecord
  | OrderRecord
  | LineItemRecord
  | StoreCreditAccountRecord
  | StoreCreditTransactionRecord
  | AppInstallationRecord
  | AppRecord;

export interface ShopData {
  shop: ShopRecord;
  counters: Record<string, number>;
  customers: CustomerRecord[];
  discounts: DiscountCodeNodeRecord[];
  metafields: MetafieldRecord[];
  metafieldDefinitions: MetafieldDefinitionRecord[];
  orders: OrderRecord[];
  storeCreditAccounts: StoreCreditAccountRecord[];
  storeCreditTransactions: StoreCreditTransactionRecord[];
}

export interface PersistedState {
  version: 1;
  shopCounter: number;
  shops: Record<string, ShopData>;
}

// ---------------------------------------------------------------------------------------------
// Inputs of the conveniences
// ---------------------------------------------------------------------------------------------

export interface AddCustomerInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  locale?: string;
  tags?: string[];
  state?: CustomerRecord["state"];
  numberOfOrders?: number;
  amountSpent?: string | number;
  createdAt?: Date | string;
  metafields?: { namespace?: string | null; key: string; type: string; value: string }[];
}

export interface AddOrderInput {
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
  currencyCode?: string;
  /** Defaults to the sum of the line items, else 0. */
  totalPrice?: string | number;
  subtotalPrice?: string | number;
  totalDiscounts?: string | number;
  discountCodes?: string[];
  lineItems?: { title: string; quantity?: number; price?: string | number; sku?: string | null }[];
  tags?: string[];
  note?: string | null;
  test?: boolean;
  financialStatus?: string;
  fulfillmentStatus?: string;
  createdAt?: Date | string;
}

export interface InsertDiscountInput extends Omit<
  CodeDiscountRecord,
  "codes" | "createdAt" | "updatedAt" | "startsAt"
> {
  startsAt?: string;
  codes: string[];
}

export interface CreateShopifyStateOptions {
  /** JSON file the state is loaded from (if it exists) and written to after each mutation. */
  persistPath?: string;
  /** Numeric id of the app: `$app` namespaces resolve to `app--<appId>`. Default 1. */
  appId?: number;
  /** Title of the app as `currentAppInstallation.app.title` shows it. Default "Pointwise". */
  appTitle?: string;
  /** API key (client id) of the app as `currentAppInstallation.app.apiKey` shows it. */
  apiKey?: string;
  /** Access scopes `currentAppInstallation.accessScopes` lists. Default none. */
  accessScopes?: string[];
  /** Clock, for statuses and timestamps. Default Date.now. */
  now?: () => number;
  /** Debounce of persisted writes in ms. Default 100. */
  persistDebounceMs?: number;
}

export interface ShopifyState {
  readonly appId: number;
  readonly persistPath: string | undefined;
  now(): Date;
  nowIso(): string;

  ensureShop(domain: string, init?: ShopInit): ShopRecord;
  shop(domain: string): ShopRecord | undefined;
  shopDomains(): string[];
  /** All data of a shop (created if missing). Resolvers mutate it and then call changed(). */
  data(domain: string): ShopData;
  nextId(domain: string, type: string): string;
  node(domain: string, id: string): NodeRecord | undefined;
  appInstallation(domain: string): AppInstallationRecord;
  /** `$app` → `app--<appId>`, `$app:x` → `app--<appId>--x`, null/undefined → `app--<appId>`. */
  resolveNamespace(namespace: string | null | undefined): string;
  ownerTypeOf(ownerId: string): string | null;

  addCustomer(domain: string, input?: AddCustomerInput): CustomerRecord;
  customer(domain: string, id: string): CustomerRecord | undefined;
  addOrder(domain: string, input?: AddOrderInput): OrderRecord;
  insertDiscount(domain: string, input: InsertDiscountInput): DiscountCodeNodeRecord;
  listDiscounts(domain: string): DiscountCodeNodeRecord[];
  findDiscountByCode(domain: string, code: string): DiscountCodeNodeRecord | undefined;
  metafieldsOf(domain: string, ownerId: string): MetafieldRecord[];
  findMetafield(domain: string, ownerId: string, namespace: string, key: string): MetafieldRecord | undefined;
  /** Creates or updates a metafield (namespace already resolved or `$app…`). */
  upsertMetafield(
    domain: string,
    input: { ownerId: string; namespace?: string | null; key: string; type: string; value: string },
  ): MetafieldRecord;
  deleteMetafield(domain: string, ownerId: string, namespace: string, key: string): boolean;
  storeCreditAccountsOf(domain: string, ownerId: string): StoreCreditAccountRecord[];
  /** Credits (positive) or debits (negative) a store credit account, creating the owner's account if needed. */
  adjustStoreCredit(
    domain: string,
    input: {
      ownerId?: string;
      accountId?: string;
      amount: string | number;
      currencyCode: string;
      expiresAt?: string | null;
    },
  ): StoreCreditTransactionRecord;

  /** Schedules a persisted write (debounced). */
  changed(): void;
  /** Writes pending state now (synchronously). */
  flush(): void;
  /** Removes every shop (ids restart). */
  reset(): void;
  snapshot(): PersistedState;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

const OWNER_TYPES: Record<string, string> = {
  Customer: "CUSTOMER",
  Shop: "SHOP",
  Order: "ORDER",
  DraftOrder: "DRAFTORDER",
  DiscountCodeNode: "DISCOUNT",
  DiscountAutomaticNode: "DISCOUNT",
  DiscountNode: "DISCOUNT",
  AppInstallation: "API_PERMISSION",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Collection: "COLLECTION",
  Company: "COMPANY",
  CompanyLocation: "COMPANY_LOCATION",
  Location: "LOCATION",
  Market: "MARKET",
  Page: "PAGE",
  Blog: "BLOG",
  Article: "ARTICLE",
};

export function discountStatus(discount: Pick<CodeDiscountRecord, "startsAt" | "endsAt">, now: Date) {
  const t = now.getTime();
  if (new Date(discount.startsAt).getTime() > t) return "SCHEDULED" as const;
  if (discount.endsAt !== null && new Date(discount.endsAt).getTime() <= t) return "EXPIRED" as const;
  return "ACTIVE" as const;
}

function emptyState(): PersistedState {
  return { version: 1, shopCounter: 0, shops: {} };
}

function loadPersisted(file: string): PersistedState {
  if (!existsSync(file)) return emptyState();
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<PersistedState>;
  if (parsed.version !== 1 || typeof parsed.shops !== "object" || parsed.shops === null) {
    throw new Error(`${file} is not a Pointwise sandbox Shopify state (version 1)`);
  }
  return { version: 1, shopCounter: parsed.shopCounter ?? Object.keys(parsed.shops).length, shops: parsed.shops };
}

function digestOf(record: Pick<MetafieldRecord, "id" | "revision" | "type" | "value">): string {
  return createHash("sha256")
    .update(`${record.id}\u0000${record.revision}\u0000${record.type}\u0000${record.value}`)
    .digest("hex");
}

export function createShopifyState(options: CreateShopifyStateOptions = {}): ShopifyState {
  const appId = options.appId ?? 1;
  const appTitle = options.appTitle ?? "Pointwise";
  const apiKey = options.apiKey ?? "pointwise-sandbox-api-key";
  const clock = options.now ?? Date.now;
  const persistPath = options.persistPath;
  const debounceMs = options.persistDebounceMs ?? 100;
  let persisted: PersistedState = persistPath ? loadPersisted(persistPath) : emptyState();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = false;

  const now = () => new Date(clock());
  const nowIso = () => isoDateTime(now());

  function ensureShop(domain: string, init: ShopInit = {}): ShopRecord {
    const existing = persisted.shops[domain];
    if (existing) return existing.shop;
    persisted.shopCounter += 1;
    const created = nowIso();
    const currencyCode = init.currencyCode ?? "USD";
    const handle = domain.replace(/\.myshopify\.com$/, "");
    const shop: ShopRecord = {
      __typename: "Shop",
      id: gid("Shop", persisted.shopCounter),
      name: init.name ?? handle,
      email: init.email ?? `owner@${handle}.example`,
      contactEmail: init.email ?? `owner@${handle}.example`,
      shopOwnerName: init.shopOwnerName ?? "Sandbox Owner",
      myshopifyDomain: domain,
      currencyCode,
      enabledPresentmentCurrencies: init.enabledPresentmentCurrencies ?? [currencyCode],
      ianaTimezone: init.ianaTimezone ?? "UTC",
      plan: {
        displayName: "Developer Preview",
        partnerDevelopment: true,
        publicDisplayName: "Development",
        shopifyPlus: false,
        ...init.plan,
      },
      createdAt: created,
      updatedAt: created,
    };
    persisted.shops[domain] = {
      shop,
      counters: {},
      customers: [],
      discounts: [],
      metafields: [],
      metafieldDefinitions: [],
      orders: [],
      storeCreditAccounts: [],
      storeCreditTransactions: [],
    };
    changed();
    return shop;
  }

  function data(domain: string): ShopData {
    ensureShop(domain);
    const found = persisted.shops[domain];
    if (!found) throw new Error(`unknown shop ${domain}`);
    return found;
  }

  function nextId(domain: string, type: string): string {
    const shopData = data(domain);
    const next = (shopData.counters[type] ?? 0) + 1;
    shopData.counters[type] = next;
    return gid(type, next);
  }

  function resolveNamespace(namespace: string | null | undefined): string {
    if (namespace === null || namespace === undefined || namespace === "" || namespace === "$app") {
      return `app--${appId}`;
    }
    if (namespace.startsWith("$app:")) return `app--${appId}--${namespace.slice("$app:".length)}`;
    return namespace;
  }

  function appRecord(): AppRecord {
    return {
      __typename: "App",
      id: gid("App", appId),
      title: appTitle,
      handle: appTitle.toLowerCase(),
      apiKey,
      embedded: true,
    };
  }

  function appInstallation(domain: string): AppInstallationRecord {
    return {
      __typename: "AppInstallation",
      id: gid("AppInstallation", appId),
      app: appRecord(),
      launchUrl: `https://${domain}/admin/apps/${appTitle.toLowerCase()}`,
      uninstallUrl: null,
      accessScopes: (options.accessScopes ?? []).map((handle) => ({ handle, description: handle.replace(/_/g, " ") })),
    };
  }

  function node(domain: string, id: string): NodeRecord | undefined {
    const parsed = parseGid(id);
    if (!parsed) return undefined;
    const shopData = persisted.shops[domain];
    if (!shopData) return undefined;
    switch (parsed.type) {
      case "Shop":
        return shopData.shop.id === id ? shopData.shop : undefined;
      case "Customer":
        return shopData.customers.find((c) => c.id === id);
      case "DiscountCodeNode":
        return shopData.discounts.find((d) => d.id === id);
      case "Metafield":
        return shopData.metafields.find((m) => m.id === id);
      case "MetafieldDefinition":
        return shopData.metafieldDefinitions.find((m) => m.id === id);
      case "Order":
        return shopData.orders.find((o) => o.id === id);
      case "LineItem":
        return shopData.orders.flatMap((o) => o.lineItems).find((l) => l.id === id);
      case "StoreCreditAccount":
        return shopData.storeCreditAccounts.find((a) => a.id === id);
      case "StoreCreditAccountCreditTransaction":
      case "StoreCreditAccountDebitTransaction":
        return shopData.storeCreditTransactions.find((t) => t.id === id);
      case "AppInstallation":
        return id === gid("AppInstallation", appId) ? appInstallation(domain) : undefined;
      case "App":
        return id === gid("App", appId) ? appRecord() : undefined;
      default:
        return undefined;
    }
  }

  function ownerTypeOf(ownerId: string): string | null {
    const parsed = parseGid(ownerId);
    return parsed ? (OWNER_TYPES[parsed.type] ?? null) : null;
  }

  function customer(domain: string, id: string): CustomerRecord | undefined {
    return persisted.shops[domain]?.customers.find((c) => c.id === id);
  }

  function findMetafield(domain: string, ownerId: string, namespace: string, key: string) {
    const ns = resolveNamespace(namespace);
    return persisted.shops[domain]?.metafields.find(
      (m) => m.ownerId === ownerId && m.namespace === ns && m.key === key,
    );
  }

  function upsertMetafield(
    domain: string,
    input: { ownerId: string; namespace?: string | null; key: string; type: string; value: string },
  ): MetafieldRecord {
    const shopData = data(domain);
    const namespace = resolveNamespace(input.namespace);
    const existing = shopData.metafields.find(
      (m) => m.ownerId === input.ownerId && m.namespace === namespace && m.key === input.key,
    );
    const at = nowIso();
    if (existing) {
      if (existing.value !== input.value || existing.type !== input.type) {
        existing.value = input.value;
        existing.type = input.type;
        existing.revision += 1;
        existing.updatedAt = at;
        existing.compareDigest = digestOf(existing);
        changed();
      }
      return existing;
    }
    const record: MetafieldRecord = {
      __typename: "Metafield",
      id: nextId(domain, "Metafield"),
      ownerId: input.ownerId,
      ownerType: ownerTypeOf(input.ownerId) ?? "SHOP",
      namespace,
      key: input.key,
      type: input.type,
      value: input.value,
      revision: 1,
      compareDigest: "",
      createdAt: at,
      updatedAt: at,
    };
    record.compareDigest = digestOf(record);
    shopData.metafields.push(record);
    changed();
    return record;
  }

  function deleteMetafield(domain: string, ownerId: string, namespace: string, key: string): boolean {
    const shopData = persisted.shops[domain];
    if (!shopData) return false;
    const ns = resolveNamespace(namespace);
    const index = shopData.metafields.findIndex((m) => m.ownerId === ownerId && m.namespace === ns && m.key === key);
    if (index < 0) return false;
    shopData.metafields.splice(index, 1);
    changed();
    return true;
  }

  function addCustomer(domain: string, input: AddCustomerInput = {}): CustomerRecord {
    const shopData = data(domain);
    const at = input.createdAt ? isoDateTime(input.createdAt) : nowIso();
    const record: CustomerRecord = {
      __typename: "Customer",
      id: nextId(domain, "Customer"),
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      note: input.note ?? null,
      locale: input.locale ?? "en",
      tags: [...(input.tags ?? [])],
      taxExempt: false,
      state: input.state ?? "DISABLED",
      verifiedEmail: input.email ? true : false,
      emailMarketingState: "NOT_SUBSCRIBED",
      numberOfOrders: input.numberOfOrders ?? 0,
      amountSpent: money(input.amountSpent ?? 0, shopData.shop.currencyCode),
      createdAt: at,
      updatedAt: at,
    };
    shopData.customers.push(record);
    for (const m of input.metafields ?? []) upsertMetafield(domain, { ...m, ownerId: record.id });
    changed();
    return record;
  }

  function addOrder(domain: string, input: AddOrderInput = {}): OrderRecord {
    const shopData = data(domain);
    const currencyCode = input.currencyCode ?? shopData.shop.currencyCode;
    const at = input.createdAt ? isoDateTime(input.createdAt) : nowIso();
    const buyer = input.customerId ? customer(domain, input.customerId) : undefined;
    if (input.customerId && !buyer) throw new Error(`addOrder: no customer ${input.customerId} in ${domain}`);
    const lineItems: LineItemRecord[] = (input.lineItems ?? []).map((item) => {
      const quantity = item.quantity ?? 1;
      const unit = normalizeDecimal(item.price ?? 0);
      return {
        __typename: "LineItem",
        id: nextId(domain, "LineItem"),
        title: item.title,
        name: item.title,
        quantity,
        sku: item.sku ?? null,
        variantTitle: null,
        originalUnitPriceSet: moneyBag(unit, currencyCode),
        originalTotalSet: moneyBag(formatDecimal(parseDecimal(unit) * BigInt(quantity)), currencyCode),
      };
    });
    const lineTotal =
      lineItems.length > 0 ? addDecimals(...lineItems.map((l) => l.originalTotalSet.shopMoney.amount)) : "0";
    const subtotal = input.subtotalPrice ?? lineTotal;
    const total = input.totalPrice ?? subtotal;
    const id = nextId(domain, "Order");
    const number = 1000 + Number(legacyIdOf(id) ?? "0");
    const record: OrderRecord = {
      __typename: "Order",
      id,
      name: `#${number}`,
      number,
      email: input.email ?? buyer?.email ?? null,
      phone: input.phone ?? buyer?.phone ?? null,
      customerId: buyer?.id ?? null,
      currencyCode,
      presentmentCurrencyCode: currencyCode,
      totalPriceSet: moneyBag(total, currencyCode),
      subtotalPriceSet: moneyBag(subtotal, currencyCode),
      totalDiscountsSet: moneyBag(input.totalDiscounts ?? 0, currencyCode),
      discountCodes: [...(input.discountCodes ?? [])],
      lineItems,
      tags: [...(input.tags ?? [])],
      note: input.note ?? null,
      test: input.test ?? false,
      displayFinancialStatus: input.financialStatus ?? "PAID",
      displayFulfillmentStatus: input.fulfillmentStatus ?? "UNFULFILLED",
      cancelledAt: null,
      processedAt: at,
      createdAt: at,
      updatedAt: at,
    };
    shopData.orders.push(record);
    if (buyer) {
      buyer.numberOfOrders += 1;
      buyer.amountSpent = money(addDecimals(buyer.amountSpent.amount, total), buyer.amountSpent.currencyCode);
      buyer.updatedAt = at;
    }
    for (const code of record.discountCodes) {
      const redeem = findDiscountByCode(domain, code)?.codeDiscount.codes.find(
        (c) => c.code.toLowerCase() === code.toLowerCase(),
      );
      if (redeem) redeem.asyncUsageCount += 1;
    }
    changed();
    return record;
  }

  function insertDiscount(domain: string, input: InsertDiscountInput): DiscountCodeNodeRecord {
    const shopData = data(domain);
    const at = nowIso();
    const { codes, ...rest } = input;
    const record: DiscountCodeNodeRecord = {
      __typename: "DiscountCodeNode",
      id: nextId(domain, "DiscountCodeNode"),
      codeDiscount: {
        ...rest,
        startsAt: input.startsAt ?? at,
        codes: codes.map((code) => ({
          __typename: "DiscountRedeemCode",
          id: nextId(domain, "DiscountRedeemCode"),
          code,
          asyncUsageCount: 0,
        })),
        createdAt: at,
        updatedAt: at,
      },
    };
    shopData.discounts.push(record);
    changed();
    return record;
  }

  function findDiscountByCode(domain: string, code: string) {
    const wanted = code.toLowerCase();
    return persisted.shops[domain]?.discounts.find((d) =>
      d.codeDiscount.codes.some((c) => c.code.toLowerCase() === wanted),
    );
  }

  function adjustStoreCredit(
    domain: string,
    input: {
      ownerId?: string;
      accountId?: string;
      amount: string | number;
      currencyCode: string;
      expiresAt?: string | null;
    },
  ): StoreCreditTransactionRecord {
    const shopData = data(domain);
    let account = input.accountId
      ? shopData.storeCreditAccounts.find((a) => a.id === input.accountId)
      : shopData.storeCreditAccounts.find(
          (a) => a.ownerId === input.ownerId && a.balance.currencyCode === input.currencyCode,
        );
    if (!account) {
      if (!input.ownerId) throw new Error(`adjustStoreCredit: no store credit account ${input.accountId ?? ""}`);
      account = {
        __typename: "StoreCreditAccount",
        id: nextId(domain, "StoreCreditAccount"),
        ownerId: input.ownerId,
        balance: money(0, input.currencyCode),
      };
      shopData.storeCreditAccounts.push(account);
    }
    const amount = normalizeDecimal(input.amount);
    const credit = parseDecimal(amount) >= 0n;
    account.balance = money(addDecimals(account.balance.amount, amount), account.balance.currencyCode);
    const type = credit ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction";
    const transaction: StoreCreditTransactionRecord = {
      __typename: type,
      id: nextId(domain, type),
      accountId: account.id,
      amount: money(amount, account.balance.currencyCode),
      balanceAfterTransaction: { ...account.balance },
      remainingAmount: credit ? money(amount, account.balance.currencyCode) : null,
      event: "ADJUSTMENT",
      expiresAt: input.expiresAt ?? null,
      createdAt: nowIso(),
      origin: null,
    };
    shopData.storeCreditTransactions.push(transaction);
    changed();
    return transaction;
  }

  function changed(): void {
    dirty = true;
    if (!persistPath || timer) return;
    timer = setTimeout(flush, debounceMs);
    timer.unref?.();
  }

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (!persistPath || !dirty) return;
    dirty = false;
    mkdirSync(path.dirname(persistPath), { recursive: true });
    const tmp = `${persistPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(persisted));
    renameSync(tmp, persistPath);
  }

  return {
    appId,
    persistPath,
    now,
    nowIso,
    ensureShop,
    shop: (domain) => persisted.shops[domain]?.shop,
    shopDomains: () => Object.keys(persisted.shops),
    data,
    nextId,
    node,
    appInstallation,
    resolveNamespace,
    ownerTypeOf,
    addCustomer,
    customer,
    addOrder,
    insertDiscount,
    listDiscounts: (domain) => [...(persisted.shops[domain]?.discounts ?? [])],
    findDiscountByCode,
    metafieldsOf: (domain, ownerId) => (persisted.shops[domain]?.metafields ?? []).filter((m) => m.ownerId === ownerId),
    findMetafield,
    upsertMetafield,
    deleteMetafield,
    storeCreditAccountsOf: (domain, ownerId) =>
      (persisted.shops[domain]?.storeCreditAccounts ?? []).filter((a) => a.ownerId === ownerId),
    adjustStoreCredit,
    changed,
    flush,
    reset() {
      persisted = emptyState();
      changed();
    },
    snapshot: () => structuredClone(persisted),
  };
}
