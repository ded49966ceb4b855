import {
  execute,
  getNamedType,
  GraphQLError,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";

import {
  discountStatus,
  formatDecimal,
  isDecimal,
  isoDateTime,
  legacyIdOf,
  money,
  normalizeDecimal,
  parseDecimal,
  parseGid,
  type CodeDiscountRecord,
  type CodeDiscountType,
  type CustomerRecord,
  type DiscountCodeNodeRecord,
  type JsonValue,
  type MetafieldDefinitionRecord,
  type MetafieldRecord,
  type OrderRecord,
  type ShopifyState,
  type ShopRecord,
  type StoreCreditAccountRecord,
  type StoreCreditTransactionRecord,
  type TypedObject,
} from "./state";

/**
 * Executes Admin API operations against the resolver-less schema built from Shopify's introspection:
 * a custom field resolver simulates the root fields listed in SIMULATED_ROOT_FIELDS and the computed
 * fields of the objects they return; everything else reads stored properties. A root field that
 * validates but is not simulated fails with a NOT_SIMULATED GraphQL error, and so does a non-null
 * nested field the sandbox has no data for (never a silent null).
 */

export interface SearchWarning {
  path: readonly (string | number)[];
  query: string;
  warnings: { field: string; message: string }[];
}

export interface AdminContext {
  state: ShopifyState;
  shop: string;
  schema: GraphQLSchema;
  search: SearchWarning[];
}

type Args = Record<string, unknown>;
type Source = Record<string, unknown>;
type Resolver = (source: Source, args: Args, ctx: AdminContext, info: GraphQLResolveInfo) => unknown;
type RootResolver = (args: Args, ctx: AdminContext, info: GraphQLResolveInfo) => unknown;

export function notSimulated(what: string): GraphQLError {
  return new GraphQLError(`Pointwise sandbox does not simulate ${what}`, { extensions: { code: "NOT_SIMULATED" } });
}

// ---------------------------------------------------------------------------------------------
// Argument helpers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function obj(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}
function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
function has(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

// ---------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------

interface Cursor {
  last_id: number | string;
  last_value: string;
}

function encodeCursor(id: string): string {
  const legacy = legacyIdOf(id);
  const cursor: Cursor = { last_id: legacy ? Number(legacy) : id, last_value: legacy ?? id };
  return Buffer.from(JSON.stringify(cursor)).toString("base64");
}

function decodeCursor(cursor: string): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as Partial<Cursor>;
    return parsed.last_id === undefined ? null : String(parsed.last_id);
  } catch {
    return null;
  }
}

function cursorMatches(item: { id: string }, decoded: string): boolean {
  return (legacyIdOf(item.id) ?? item.id) === decoded;
}

type Sorter<T> = (a: T, b: T) => number;

function byId<T extends { id: string }>(a: T, b: T): number {
  const x = Number(legacyIdOf(a.id) ?? 0);
  const y = Number(legacyIdOf(b.id) ?? 0);
  return x - y;
}

function byString<T>(get: (item: T) => string | null | undefined): Sorter<T> {
  return (a, b) => (get(a) ?? "").localeCompare(get(b) ?? "");
}

function connection<T extends { id: string }>(
  items: readonly T[],
  args: Args,
  sorters: Record<string, Sorter<T>> = {},
): { edges: { cursor: string; node: T }[]; nodes: T[]; pageInfo: Record<string, unknown> } {
  const first = num(args.first);
  const last = num(args.last);
  if (first === undefined && last === undefined) {
    throw new GraphQLError("you must provide one of first or last");
  }
  if ((first !== undefined && first < 0) || (last !== undefined && last < 0)) {
    throw new GraphQLError("first and last must be non-negative");
  }
  if ((first ?? 0) > 250 || (last ?? 0) > 250) {
    throw new GraphQLError("The maximum number of items per page is 250.", { extensions: { code: "BAD_REQUEST" } });
  }
  const sortKey = str(args.sortKey) ?? "ID";
  const sorter: Sorter<T> = sorters[sortKey] ?? byId;
  const all = [...items].sort((a, b) => sorter(a, b) || byId(a, b));
  if (args.reverse === true) all.reverse();

  let start = 0;
  let end = all.length; // exclusive
  const after = str(args.after);
  if (after) {
    const decoded = decodeCursor(after);
    const index = decoded === null ? -1 : all.findIndex((item) => cursorMatches(item, decoded));
    if (decoded === null) throw new GraphQLError(`Invalid cursor for current pagination sort.`);
    start = index >= 0 ? index + 1 : all.length;
  }
  const before = str(args.before);
  if (before) {
    const decoded = decodeCursor(before);
    if (decoded === null) throw new GraphQLError(`Invalid cursor for current pagination sort.`);
    const index = all.findIndex((item) => cursorMatches(item, decoded));
    end = index >= 0 ? Math.min(end, index) : end;
  }
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const page = start < end ? all.slice(start, end) : [];
  const edges = page.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Shopify search syntax (the subset the app needs): `field:value`, `field:>=value`, `-field:value`,
// quoted values, `value*` prefixes, `field:*` (has a value), free text, AND (implicit) and OR.
// ---------------------------------------------------------------------------------------------

interface SearchTerm {
  field: string | null;
  op: ":" | ">" | "<" | ">=" | "<=";
  value: string;
  negate: boolean;
}

type SearchFields<T> = Record<string, (item: T) => unknown>;

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
  ) {
    return value.slice(1, -1);
  }
  return value;
}

function parseSearch(query: string): SearchTerm[][] {
  const groups: SearchTerm[][] = [[]];
  const pattern = /(-)?(?:([A-Za-z_][\w.]*):(>=|<=|>|<)?("[^"]*"|'[^']*'|\S+)|("[^"]*"|'[^']*'|\S+))/g;
  for (const match of query.matchAll(pattern)) {
    const [, negate, field, op, value, text] = match;
    if (text !== undefined && (text === "AND" || text === "OR")) {
      if (text === "OR") groups.push([]);
      continue;
    }
    const term: SearchTerm = field
      ? {
          field: field.toLowerCase(),
          op: (op as SearchTerm["op"] | undefined) ?? ":",
          value: unquote(value ?? ""),
          negate: negate === "-",
        }
      : { field: null, op: ":", value: unquote(text ?? ""), negate: negate === "-" };
    groups[groups.length - 1]?.push(term);
  }
  return groups.filter((g) => g.length > 0);
}

function compareValues(actual: unknown, op: SearchTerm["op"], expected: string): boolean {
  if (actual === null || actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some((a) => compareValues(a, op, expected));
  if (expected === "*" && op === ":") return actual !== "";
  if (typeof actual === "boolean") return String(actual) === expected.toLowerCase();
  const text = String(actual);
  if (op === ":") {
    const lower = text.toLowerCase();
    const wanted = expected.toLowerCase();
    if (wanted.endsWith("*")) return lower.startsWith(wanted.slice(0, -1));
    if (typeof actual === "number" && isDecimal(expected)) return parseDecimal(actual) === parseDecimal(expected);
    return lower === wanted;
  }
  let order: number;
  if (isDecimal(text) && isDecimal(expected)) {
    const a = parseDecimal(text);
    const b = parseDecimal(expected);
    order = a < b ? -1 : a > b ? 1 : 0;
  } else if (!Number.isNaN(Date.parse(text)) && !Number.isNaN(Date.parse(expected))) {
    order = Math.sign(Date.parse(text) - Date.parse(expected));
  } else {
    order = text.localeCompare(expected);
  }
  switch (op) {
    case ">":
      return order > 0;
    case "<":
      return order < 0;
    case ">=":
      return order >= 0;
    default:
      return order <= 0;
  }
}

function search<T>(
  items: readonly T[],
  query: unknown,
  fields: SearchFields<T>,
  text: (item: T) => (string | null | undefined)[],
  ctx: AdminContext,
  info: GraphQLResolveInfo,
): T[] {
  if (typeof query !== "string" || query.trim() === "") return [...items];
  const groups = parseSearch(query);
  const warnings: SearchWarning["warnings"] = [];
  for (const term of groups.flat()) {
    if (term.field !== null && !fields[term.field] && !warnings.some((w) => w.field === term.field)) {
      warnings.push({ field: term.field, message: "Invalid search field for this query." });
    }
  }
  if (warnings.length > 0) ctx.search.push({ path: pathOf(info), query, warnings });
  const matches = (item: T, term: SearchTerm): boolean => {
    let result: boolean;
    if (term.field === null) {
      const wanted = term.value.toLowerCase().replace(/\*$/, "");
      result = text(item).some((t) => typeof t === "string" && t.toLowerCase().includes(wanted));
    } else {
      const get = fields[term.field];
      if (!get) return true; // unknown field: ignored, as Shopify does (with a warning)
      result = compareValues(get(item), term.op, term.value);
      if (term.field.endsWith("_not")) result = !result; // tag_not:x and friends
    }
    return term.negate ? !result : result;
  };
  return items.filter((item) => groups.some((group) => group.every((term) => matches(item, term))));
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

const idField = (item: { id: string }) => Number(legacyIdOf(item.id) ?? 0);

// ---------------------------------------------------------------------------------------------
// Metafields
// ---------------------------------------------------------------------------------------------

const METAFIELD_TYPES: Record<string, string> = {
  single_line_text_field: "TEXT",
  multi_line_text_field: "TEXT",
  rich_text_field: "TEXT",
  number_integer: "NUMBER",
  number_decimal: "NUMBER",
  boolean: "TRUE_FALSE",
  date: "DATE_TIME",
  date_time: "DATE_TIME",
  json: "JSON",
  color: "COLOR",
  url: "URL",
  link: "LINK",
  money: "MONEY",
  rating: "RATING",
  weight: "MEASUREMENT",
  volume: "MEASUREMENT",
  dimension: "MEASUREMENT",
  id: "TEXT",
  product_reference: "REFERENCE",
  variant_reference: "REFERENCE",
  collection_reference: "REFERENCE",
  customer_reference: "REFERENCE",
  company_reference: "REFERENCE",
  order_reference: "REFERENCE",
  page_reference: "REFERENCE",
  file_reference: "REFERENCE",
  metaobject_reference: "REFERENCE",
  mixed_reference: "REFERENCE",
  article_reference: "REFERENCE",
  product_taxonomy_value_reference: "REFERENCE",
};

function metafieldTypeCategory(type: string): string | undefined {
  return METAFIELD_TYPES[type.startsWith("list.") ? type.slice(5) : type];
}

function isKnownMetafieldType(type: string): boolean {
  if (type.startsWith("list.")) {
    const inner = type.slice(5);
    return (
      inner !== "json" &&
      inner !== "boolean" &&
      inner !== "money" &&
      inner !== "multi_line_text_field" &&
      inner !== "rich_text_field" &&
      metafieldTypeCategory(inner) !== undefined
    );
  }
  return METAFIELD_TYPES[type] !== undefined;
}

function scalarValueError(type: string, value: string): string | null {
  switch (type) {
    case "number_integer":
      return /^[+-]?\d+$/.test(value.trim()) ? null : "Value must be an integer.";
    case "number_decimal":
      return isDecimal(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "color":
      return /^#[0-9a-fA-F]{6}$/.test(value) ? null : "Value must be a hex color code.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : "Value must be in YYYY-MM-DDTHH:MM:SS format.";
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    case "money": {
      try {
        const parsed: unknown = JSON.parse(value);
        if (isRecord(parsed) && isDecimal(parsed.amount) && typeof parsed.currency_code === "string") return null;
      } catch {
        // fall through
      }
      return "Value must be a stringified JSON object with amount (numeric) and currency_code (string matching the shop's currency) fields.";
    }
    case "url":
      return /^(https?:\/\/|mailto:|sms:|tel:)\S+$/.test(value)
        ? null
        : 'Value cannot have an empty scheme (protocol), must include one of the following URL schemes: ["http", "https", "mailto", "sms", "tel"].';
    case "single_line_text_field":
      if (value.trim() === "") return "Value can't be blank.";
      return /[\r\n]/.test(value) ? "Value must be a single line text string." : null;
    case "multi_line_text_field":
      return value.trim() === "" ? "Value can't be blank." : null;
    default:
      return null;
  }
}

function metafieldValueError(type: string, value: string): string | null {
  if (!type.startsWith("list.")) return scalarValueError(type, value);
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    return "Value must be a JSON array.";
  }
  if (!Array.isArray(items)) return "Value must be a JSON array.";
  if (items.length > 128) return "Value has more than 128 elements.";
  for (const item of items) {
    const error = scalarValueError(type.slice(5), typeof item === "string" ? item : JSON.stringify(item));
    if (error) return error;
  }
  return null;
}

function jsonValueOf(metafield: MetafieldRecord): JsonValue {
  const { type, value } = metafield;
  try {
    if (type === "number_integer") return Number(value);
    if (type === "number_decimal") return value;
    if (type === "boolean") return value === "true";
    if (
      type === "json" ||
      type === "money" ||
      type === "rating" ||
      type === "link" ||
      type === "weight" ||
      type === "volume" ||
      type === "dimension" ||
      type.startsWith("list.")
    ) {
      return JSON.parse(value) as JsonValue;
    }
  } catch {
    return value;
  }
  return value;
}

function findDefinition(ctx: AdminContext, ownerType: string, namespace: string, key: string) {
  return ctx.state
    .data(ctx.shop)
    .metafieldDefinitions.find((d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key);
}

/** Splits "namespace.key" (keys argument of `metafields`) at the last dot. */
function splitNamespacedKey(value: string): [string, string] | null {
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  return [value.slice(0, dot), value.slice(dot + 1)];
}

const hasMetafields: Record<string, Resolver> = {
  metafield(source, args, ctx) {
    const id = str(source.id);
    const key = str(args.key);
    if (!id || !key) return null;
    return ctx.state.findMetafield(ctx.shop, id, ctx.state.resolveNamespace(str(args.namespace)), key) ?? null;
  },
  metafields(source, args, ctx) {
    const id = str(source.id);
    let items = id ? ctx.state.metafieldsOf(ctx.shop, id) : [];
    if (typeof args.namespace === "string") {
      const ns = ctx.state.resolveNamespace(args.namespace);
      items = items.filter((m) => m.namespace === ns);
    }
    const keys = strings(args.keys);
    if (keys.length > 0) {
      const wanted = keys
        .map(splitNamespacedKey)
        .filter((k): k is [string, string] => k !== null)
        .map(([ns, key]) => `${ctx.state.resolveNamespace(ns)}.${key}`);
      items = items.filter((m) => wanted.includes(`${m.namespace}.${m.key}`));
    }
    return connection(items, args);
  },
};

// ---------------------------------------------------------------------------------------------
// Object resolvers
// ---------------------------------------------------------------------------------------------

function shopData(ctx: AdminContext) {
  return ctx.state.data(ctx.shop);
}

function displayName(c: CustomerRecord): string {
  const name = [c.firstName, c.lastName].filter((p) => p && p.trim() !== "").join(" ");
  return name || c.email || c.phone || "";
}

const customerSearch: SearchFields<CustomerRecord> = {
  id: idField,
  email: (c) => c.email,
  first_name: (c) => c.firstName,
  last_name: (c) => c.lastName,
  phone: (c) => c.phone,
  tag: (c) => c.tags,
  tag_not: (c) => c.tags,
  state: (c) => c.state,
  created_at: (c) => c.createdAt,
  updated_at: (c) => c.updatedAt,
  customer_date: (c) => c.createdAt,
  orders_count: (c) => c.numberOfOrders,
  number_of_orders: (c) => c.numberOfOrders,
  total_spent: (c) => c.amountSpent.amount,
  amount_spent: (c) => c.amountSpent.amount,
};

function searchCustomers(ctx: AdminContext, info: GraphQLResolveInfo, query: unknown): CustomerRecord[] {
  return search(shopData(ctx).customers, query, customerSearch, (c) => [displayName(c), c.email, c.phone], ctx, info);
}

const customerSorters: Record<string, Sorter<CustomerRecord>> = {
  CREATED_AT: byString((c) => c.createdAt),
  UPDATED_AT: byString((c) => c.updatedAt),
  NAME: byString(displayName),
};

const orderSearch: SearchFields<OrderRecord> = {
  id: idField,
  name: (o) => [o.name, o.name.replace(/^#/, "")],
  email: (o) => o.email,
  customer_id: (o) => (o.customerId ? legacyIdOf(o.customerId) : null),
  created_at: (o) => o.createdAt,
  updated_at: (o) => o.updatedAt,
  processed_at: (o) => o.processedAt,
  discount_code: (o) => o.discountCodes,
  financial_status: (o) => o.displayFinancialStatus.toLowerCase(),
  fulfillment_status: (o) => o.displayFulfillmentStatus.toLowerCase(),
  tag: (o) => o.tags,
  test: (o) => o.test,
  status: (o) => (o.cancelledAt ? "cancelled" : "open"),
};

const orderSorters: Record<string, Sorter<OrderRecord>> = {
  CREATED_AT: byString((o) => o.createdAt),
  PROCESSED_AT: byString((o) => o.processedAt),
  UPDATED_AT: byString((o) => o.updatedAt),
  ORDER_NUMBER: (a, b) => a.number - b.number,
  TOTAL_PRICE: (a, b) =>
    Number(parseDecimal(a.totalPriceSet.shopMoney.amount) - parseDecimal(b.totalPriceSet.shopMoney.amount)),
};

function discountTypeOf(cd: CodeDiscountRecord): string {
  if (cd.__typename === "DiscountCodeFreeShipping") return "free_shipping";
  if (cd.__typename === "DiscountCodeBxgy") return "bogo";
  const value = obj(cd.customerGets?.value);
  return value?.__typename === "DiscountPercentage" ? "percentage" : "fixed_amount";
}

function discountSearch(ctx: AdminContext): SearchFields<DiscountCodeNodeRecord> {
  return {
    id: idField,
    code: (d) => d.codeDiscount.codes.map((c) => c.code),
    title: (d) => d.codeDiscount.title,
    status: (d) => discountStatus(d.codeDiscount, ctx.state.now()).toLowerCase(),
    discount_type: (d) => discountTypeOf(d.codeDiscount),
    type: (d) => discountTypeOf(d.codeDiscount),
    method: () => "code",
    starts_at: (d) => d.codeDiscount.startsAt,
    ends_at: (d) => d.codeDiscount.endsAt,
    created_at: (d) => d.codeDiscount.createdAt,
    updated_at: (d) => d.codeDiscount.updatedAt,
    times_used: (d) => d.codeDiscount.codes.reduce((sum, c) => sum + c.asyncUsageCount, 0),
    discount_class: (d) => discountClassOf(d.codeDiscount).toLowerCase(),
  };
}

const discountSorters: Record<string, Sorter<DiscountCodeNodeRecord>> = {
  CREATED_AT: byString((d) => d.codeDiscount.createdAt),
  UPDATED_AT: byString((d) => d.codeDiscount.updatedAt),
  STARTS_AT: byString((d) => d.codeDiscount.startsAt),
  ENDS_AT: byString((d) => d.codeDiscount.endsAt),
  TITLE: byString((d) => d.codeDiscount.title),
};

function searchDiscounts(ctx: AdminContext, info: GraphQLResolveInfo, query: unknown) {
  return search(
    shopData(ctx).discounts,
    query,
    discountSearch(ctx),
    (d) => [d.codeDiscount.title, ...d.codeDiscount.codes.map((c) => c.code)],
    ctx,
    info,
  );
}

function discountClassOf(cd: CodeDiscountRecord): "ORDER" | "PRODUCT" | "SHIPPING" {
  if (cd.__typename === "DiscountCodeFreeShipping") return "SHIPPING";
  if (cd.__typename === "DiscountCodeBxgy") return "PRODUCT";
  return obj(cd.customerGets?.items)?.__typename === "AllDiscountItems" ? "ORDER" : "PRODUCT";
}

function formatMoneyText(amount: string, currencyCode: string): string {
  const symbol: Record<string, string> = { USD: "$", CAD: "$", AUD: "$", NZD: "$", EUR: "€", GBP: "£", JPY: "¥" };
  const fixed = Number(amount).toFixed(currencyCode === "JPY" ? 0 : 2);
  return symbol[currencyCode] ? `${symbol[currencyCode]}${fixed}` : `${fixed} ${currencyCode}`;
}

function discountSummary(cd: CodeDiscountRecord): string {
  const parts: string[] = [];
  const gets = cd.customerGets;
  const value = obj(gets?.value);
  const itemsAll = obj(gets?.items)?.__typename === "AllDiscountItems";
  if (cd.__typename === "DiscountCodeFreeShipping") {
    parts.push("Free shipping on all products");
  } else if (cd.__typename === "DiscountCodeBxgy") {
    parts.push("Buy X get Y");
  } else if (value?.__typename === "DiscountPercentage" && typeof value.percentage === "number") {
    parts.push(`${Math.round(value.percentage * 10000) / 100}% off ${itemsAll ? "entire order" : "specific products"}`);
  } else if (value?.__typename === "DiscountAmount") {
    const amount = obj(value.amount);
    parts.push(
      `${formatMoneyText(str(amount?.amount) ?? "0", str(amount?.currencyCode) ?? "USD")} off ${itemsAll ? "entire order" : "specific products"}`,
    );
  }
  const min = cd.minimumRequirement;
  if (min?.__typename === "DiscountMinimumSubtotal") {
    const m = obj(min.greaterThanOrEqualToSubtotal);
    parts.push(`Minimum purchase of ${formatMoneyText(str(m?.amount) ?? "0", str(m?.currencyCode) ?? "USD")}`);
  } else if (min?.__typename === "DiscountMinimumQuantity") {
    parts.push(`Minimum quantity of ${String(min.greaterThanOrEqualToQuantity)}`);
  }
  if (cd.appliesOncePerCustomer) parts.push("One use per customer");
  if (cd.usageLimit !== null) parts.push(`Limit of ${cd.usageLimit} uses`);
  return parts.join(" • ");
}

const codeDiscountFields: Record<string, Resolver> = {
  status: (s, _a, ctx) => discountStatus(s as unknown as CodeDiscountRecord, ctx.state.now()),
  codes(s, args, ctx, info) {
    const cd = s as unknown as CodeDiscountRecord;
    const codes = search(
      cd.codes,
      args.query,
      { code: (c) => c.code, times_used: (c) => c.asyncUsageCount },
      (c) => [c.code],
      ctx,
      info,
    );
    return connection(codes, args, { CODE: byString((c) => c.code) });
  },
  codesCount: (s) => ({ count: (s as unknown as CodeDiscountRecord).codes.length, precision: "EXACT" }),
  asyncUsageCount: (s) => (s as unknown as CodeDiscountRecord).codes.reduce((sum, c) => sum + c.asyncUsageCount, 0),
  discountClass: (s) => discountClassOf(s as unknown as CodeDiscountRecord),
  discountClasses: (s) => [discountClassOf(s as unknown as CodeDiscountRecord)],
  customerSelection(s) {
    const context = (s as unknown as CodeDiscountRecord).context;
    if (context.__typename === "DiscountBuyerSelectionAll")
      return { __typename: "DiscountCustomerAll", allCustomers: true };
    return context;
  },
  summary: (s) => discountSummary(s as unknown as CodeDiscountRecord),
  shortSummary: (s) => discountSummary(s as unknown as CodeDiscountRecord).split(" • ")[0] ?? "",
  hasTimelineComment: () => false,
  shareableUrls: () => [],
  totalSales: () => null,
};

function idList(source: Source, key: string, typename: string): { __typename: string; id: string }[] {
  return strings(source[key]).map((id) => ({ __typename: typename, id }));
}

const customerFields: Record<string, Resolver> = {
  displayName: (s) => displayName(s as unknown as CustomerRecord),
  numberOfOrders: (s) => String((s as unknown as CustomerRecord).numberOfOrders),
  defaultEmailAddress(s) {
    const c = s as unknown as CustomerRecord;
    if (!c.email) return null;
    return {
      emailAddress: c.email,
      marketingState: c.emailMarketingState,
      marketingOptInLevel: null,
      marketingUpdatedAt: null,
      validFormat: true,
      sourceLocation: null,
    };
  },
  defaultPhoneNumber(s) {
    const c = s as unknown as CustomerRecord;
    return c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          marketingCollectedFrom: null,
          sourceLocation: null,
        }
      : null;
  },
  emailMarketingConsent(s) {
    const c = s as unknown as CustomerRecord;
    return c.email
      ? {
          marketingState: c.emailMarketingState,
          marketingOptInLevel: null,
          consentUpdatedAt: null,
          sourceLocation: null,
        }
      : null;
  },
  smsMarketingConsent: () => null,
  validEmailAddress: (s) => typeof s.email === "string" && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.email),
  canDelete: (s) => (s as unknown as CustomerRecord).numberOfOrders === 0,
  dataSaleOptOut: () => false,
  multipassIdentifier: () => null,
  hasTimelineComment: () => false,
  taxExemptions: () => [],
  addresses: () => [],
  addressesV2: (_s, args) => connection([], args),
  defaultAddress: () => null,
  companyContactProfiles: () => [],
  productSubscriberStatus: () => "NEVER_SUBSCRIBED",
  storeCreditAccounts(s, args, ctx, info) {
    const accounts = search(
      ctx.state.storeCreditAccountsOf(ctx.shop, String(s.id)),
      args.query,
      { currency_code: (a) => a.balance.currencyCode, id: idField },
      () => [],
      ctx,
      info,
    );
    return connection(accounts, args);
  },
  orders(s, args, ctx, info) {
    const mine = shopData(ctx).orders.filter((o) => o.customerId === s.id);
    return connection(
      search(mine, args.query, orderSearch, (o) => [o.name, o.email], ctx, info),
      args,
      orderSorters,
    );
  },
  lastOrder(s, _args, ctx) {
    const mine = shopData(ctx).orders.filter((o) => o.customerId === s.id);
    return mine.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || byId(a, b)).at(-1) ?? null;
  },
};

const orderFields: Record<string, Resolver> = {
  customer: (s, _a, ctx) =>
    typeof s.customerId === "string" ? (ctx.state.customer(ctx.shop, s.customerId) ?? null) : null,
  lineItems: (s, args) => connection((s as unknown as OrderRecord).lineItems, args),
  discountCode: (s) => (s as unknown as OrderRecord).discountCodes[0] ?? null,
  currentTotalPriceSet: (s) => s.totalPriceSet,
  originalTotalPriceSet: (s) => s.totalPriceSet,
  currentSubtotalPriceSet: (s) => s.subtotalPriceSet,
  currentTotalDiscountsSet: (s) => s.totalDiscountsSet,
  cartDiscountAmountSet: (s) => s.totalDiscountsSet,
  subtotalLineItemsQuantity: (s) => (s as unknown as OrderRecord).lineItems.reduce((sum, l) => sum + l.quantity, 0),
  currentSubtotalLineItemsQuantity: (s) =>
    (s as unknown as OrderRecord).lineItems.reduce((sum, l) => sum + l.quantity, 0),
  closed: () => false,
  closedAt: () => null,
  confirmed: () => true,
  fullyPaid: (s) => s.displayFinancialStatus === "PAID",
  unpaid: (s) => s.displayFinancialStatus === "PENDING",
  cancelReason: () => null,
  customerLocale: () => "en",
  sourceName: () => "web",
};

const lineItemFields: Record<string, Resolver> = {
  currentQuantity: (s) => s.quantity,
  discountedTotalSet: (s) => s.originalTotalSet,
  discountedUnitPriceSet: (s) => s.originalUnitPriceSet,
  discountedUnitPriceAfterAllDiscountsSet: (s) => s.originalUnitPriceSet,
  product: () => null,
  variant: () => null,
  vendor: () => null,
  requiresShipping: () => true,
  taxable: () => true,
  isGiftCard: () => false,
  customAttributes: () => [],
  discountAllocations: () => [],
};

const metafieldFields: Record<string, Resolver> = {
  owner(s, _a, ctx) {
    const owner = ctx.state.node(ctx.shop, String(s.ownerId));
    if (!owner) throw notSimulated(`Metafield.owner for ${String(s.ownerId)}`);
    return owner;
  },
  jsonValue: (s) => jsonValueOf(s as unknown as MetafieldRecord),
  definition: (s, _a, ctx) => findDefinition(ctx, String(s.ownerType), String(s.namespace), String(s.key)) ?? null,
  description: () => null,
  reference: () => null,
  references: () => null,
  sizeInBytes: (s) => Buffer.byteLength(String(s.value)),
  translations: () => [],
};

const metafieldDefinitionFields: Record<string, Resolver> = {
  metafields(s, args, ctx) {
    const def = s as unknown as MetafieldDefinitionRecord;
    const items = shopData(ctx).metafields.filter(
      (m) => m.ownerType === def.ownerType && m.namespace === def.namespace && m.key === def.key,
    );
    return connection(items, args);
  },
  metafieldsCount(s, _a, ctx) {
    const def = s as unknown as MetafieldDefinitionRecord;
    return shopData(ctx).metafields.filter(
      (m) => m.ownerType === def.ownerType && m.namespace === def.namespace && m.key === def.key,
    ).length;
  },
  useAsCollectionCondition: () => false,
  validationStatus: () => "ALL_VALID",
  standardTemplate: () => null,
  constraints: () => null,
};

const metafieldDefinitionTypeFields: Record<string, Resolver> = {
  supportedValidations: () => [],
  supportsDefinitionMigrations: () => false,
};

const storeCreditAccountFields: Record<string, Resolver> = {
  owner(s, _a, ctx) {
    const owner = ctx.state.node(ctx.shop, String(s.ownerId));
    if (!owner) throw notSimulated(`StoreCreditAccount.owner for ${String(s.ownerId)}`);
    return owner;
  },
  transactions(s, args, ctx) {
    const items = shopData(ctx).storeCreditTransactions.filter((t) => t.accountId === s.id);
    return connection(items, args, { CREATED_AT: byString((t) => t.createdAt) });
  },
};

const storeCreditTransactionFields: Record<string, Resolver> = {
  account(s, _a, ctx) {
    const account = shopData(ctx).storeCreditAccounts.find((a) => a.id === s.accountId);
    if (!account) throw notSimulated(`account of ${String(s.id)}`);
    return account;
  },
};

function currencyFormats(shop: ShopRecord) {
  const symbol: Record<string, string> = { USD: "$", CAD: "$", AUD: "$", NZD: "$", EUR: "€", GBP: "£", JPY: "¥" };
  const prefix = symbol[shop.currencyCode] ?? "";
  return {
    moneyFormat: `${prefix}{{amount}}`,
    moneyInEmailsFormat: `${prefix}{{amount}}`,
    moneyWithCurrencyFormat: `${prefix}{{amount}} ${shop.currencyCode}`,
    moneyWithCurrencyInEmailsFormat: `${prefix}{{amount}} ${shop.currencyCode}`,
  };
}

const shopFields: Record<string, Resolver> = {
  currencyFormats: (s) => currencyFormats(s as unknown as ShopRecord),
  url: (s) => `https://${String(s.myshopifyDomain)}`,
  primaryDomain: (s) => ({
    __typename: "Domain",
    id: "gid://shopify/Domain/1",
    host: s.myshopifyDomain,
    url: `https://${String(s.myshopifyDomain)}`,
    sslEnabled: true,
    localization: null,
    marketWebPresence: null,
  }),
  description: () => null,
  timezoneAbbreviation: () => "UTC",
  timezoneOffset: () => "+0000",
  timezoneOffsetMinutes: () => 0,
  taxesIncluded: () => false,
  taxShipping: () => false,
  setupRequired: () => false,
  checkoutApiSupported: () => true,
  weightUnit: () => "KILOGRAMS",
  unitSystem: () => "METRIC_SYSTEM",
  orderNumberFormatPrefix: () => "#",
  orderNumberFormatSuffix: () => "",
  shipsToCountries: () => ["US"],
  marketingSmsConsentEnabledAtCheckout: () => false,
  transactionalSmsDisabled: () => false,
  alerts: () => [],
};

const appInstallationFields: Record<string, Resolver> = {
  activeSubscriptions: () => [],
  subscriptions: () => [],
  allSubscriptions: (_s, args) => connection([], args),
  oneTimePurchases: (_s, args) => connection([], args),
  credits: (_s, args) => connection([], args),
};

const appFields: Record<string, Resolver> = {
  developerName: () => "Pointwise",
  description: () => null,
  published: () => false,
  shopifyDeveloped: () => false,
  previouslyInstalled: () => false,
  features: () => [],
  failedRequirements: () => [],
  availableAccessScopes: () => [],
  requestedAccessScopes: () => [],
  optionalAccessScopes: () => [],
  installation: (_s, _a, ctx) => ctx.state.appInstallation(ctx.shop),
};

const discountRefs: Record<string, Record<string, Resolver>> = {
  DiscountCustomers: {
    customers: (s, _a, ctx) =>
      strings(s.customerIds)
        .map((id) => ctx.state.customer(ctx.shop, id))
        .filter((c): c is CustomerRecord => c !== undefined),
  },
  DiscountProducts: {
    products: (s, args) => connection(idList(s, "productIds", "Product"), args),
    productVariants: (s, args) => connection(idList(s, "productVariantIds", "ProductVariant"), args),
  },
  DiscountCollections: {
    collections: (s, args) => connection(idList(s, "collectionIds", "Collection"), args),
  },
  DiscountCustomerSegments: {
    segments: (s) => idList(s, "segmentIds", "Segment"),
  },
  DiscountMarkets: {
    markets: (s) => idList(s, "marketIds", "Market"),
  },
};

const TYPE_FIELDS: Record<string, Record<string, Resolver>> = {
  Customer: customerFields,
  Order: orderFields,
  LineItem: lineItemFields,
  Metafield: metafieldFields,
  MetafieldDefinition: metafieldDefinitionFields,
  MetafieldDefinitionType: metafieldDefinitionTypeFields,
  StoreCreditAccount: storeCreditAccountFields,
  StoreCreditAccountCreditTransaction: storeCreditTransactionFields,
  StoreCreditAccountDebitTransaction: storeCreditTransactionFields,
  Shop: shopFields,
  AppInstallation: appInstallationFields,
  App: appFields,
  DiscountCodeBasic: codeDiscountFields,
  DiscountCodeBxgy: codeDiscountFields,
  DiscountCodeFreeShipping: codeDiscountFields,
  ...discountRefs,
};

// ---------------------------------------------------------------------------------------------
// Root queries
// ---------------------------------------------------------------------------------------------

function discountNodeOf(node: DiscountCodeNodeRecord) {
  return { __typename: "DiscountNode", id: node.id, discount: node.codeDiscount };
}

function lookupNode(ctx: AdminContext, id: string): unknown {
  const found = ctx.state.node(ctx.shop, id);
  return found ?? null;
}

const QUERY: Record<string, RootResolver> = {
  shop: (_args, ctx) => shopData(ctx).shop,
  customer: (args, ctx) => ctx.state.customer(ctx.shop, String(args.id)) ?? null,
  customers(args, ctx, info) {
    return connection(searchCustomers(ctx, info, args.query), args, customerSorters);
  },
  customersCount(args, ctx, info) {
    const count = searchCustomers(ctx, info, args.query).length;
    const limit = num(args.limit);
    return limit !== undefined && count > limit
      ? { count: limit, precision: "AT_LEAST" }
      : { count, precision: "EXACT" };
  },
  customerByIdentifier(args, ctx) {
    const identifier = obj(args.identifier) ?? {};
    const customers = shopData(ctx).customers;
    if (typeof identifier.id === "string") return customers.find((c) => c.id === identifier.id) ?? null;
    if (typeof identifier.emailAddress === "string") {
      const wanted = identifier.emailAddress.toLowerCase();
      return customers.find((c) => c.email?.toLowerCase() === wanted) ?? null;
    }
    if (typeof identifier.phoneNumber === "string") {
      const wanted = identifier.phoneNumber.replace(/[^\d+]/g, "");
      return customers.find((c) => c.phone?.replace(/[^\d+]/g, "") === wanted) ?? null;
    }
    const custom = obj(identifier.customId);
    if (custom) {
      const ns = ctx.state.resolveNamespace(str(custom.namespace));
      const hit = shopData(ctx).metafields.find(
        (m) => m.ownerType === "CUSTOMER" && m.namespace === ns && m.key === custom.key && m.value === custom.value,
      );
      return hit ? (ctx.state.customer(ctx.shop, hit.ownerId) ?? null) : null;
    }
    return null;
  },
  codeDiscountNodeByCode: (args, ctx) => ctx.state.findDiscountByCode(ctx.shop, String(args.code)) ?? null,
  codeDiscountNode: (args, ctx) => shopData(ctx).discounts.find((d) => d.id === args.id) ?? null,
  codeDiscountNodes(args, ctx, info) {
    return connection(searchDiscounts(ctx, info, args.query), args, discountSorters);
  },
  discountNode(args, ctx) {
    const node = shopData(ctx).discounts.find((d) => d.id === args.id);
    return node ? discountNodeOf(node) : null;
  },
  discountNodes(args, ctx, info) {
    const page = connection(searchDiscounts(ctx, info, args.query), args, discountSorters);
    return {
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: discountNodeOf(e.node) })),
      nodes: page.nodes.map(discountNodeOf),
      pageInfo: page.pageInfo,
    };
  },
  discountNodesCount(args, ctx, info) {
    return { count: searchDiscounts(ctx, info, args.query).length, precision: "EXACT" };
  },
  discountCodesCount(args, ctx, info) {
    const codes = shopData(ctx).discounts.flatMap((d) => d.codeDiscount.codes);
    return {
      count: search(codes, args.query, { code: (c) => c.code }, (c) => [c.code], ctx, info).length,
      precision: "EXACT",
    };
  },
  order: (args, ctx) => shopData(ctx).orders.find((o) => o.id === args.id) ?? null,
  orders(args, ctx, info) {
    return connection(
      search(shopData(ctx).orders, args.query, orderSearch, (o) => [o.name, o.email], ctx, info),
      args,
      orderSorters,
    );
  },
  ordersCount(args, ctx, info) {
    return {
      count: search(shopData(ctx).orders, args.query, orderSearch, (o) => [o.name, o.email], ctx, info).length,
      precision: "EXACT",
    };
  },
  metafieldDefinitions(args, ctx, info) {
    let items = shopData(ctx).metafieldDefinitions.filter((d) => d.ownerType === args.ownerType);
    if (typeof args.namespace === "string") {
      const ns = ctx.state.resolveNamespace(args.namespace);
      items = items.filter((d) => d.namespace === ns);
    }
    if (typeof args.key === "string") items = items.filter((d) => d.key === args.key);
    if (args.pinnedStatus === "PINNED") items = items.filter((d) => d.pinnedPosition !== null);
    if (args.pinnedStatus === "UNPINNED") items = items.filter((d) => d.pinnedPosition === null);
    items = search(
      items,
      args.query,
      { id: idField, key: (d) => d.key, namespace: (d) => d.namespace, type: (d) => d.type.name },
      (d) => [d.name, d.key],
      ctx,
      info,
    );
    return connection(items, args, {
      NAME: byString((d) => d.name),
      PINNED_POSITION: (a, b) => (a.pinnedPosition ?? Infinity) - (b.pinnedPosition ?? Infinity),
    });
  },
  metafieldDefinition(args, ctx) {
    const defs = shopData(ctx).metafieldDefinitions;
    if (typeof args.id === "string") return defs.find((d) => d.id === args.id) ?? null;
    const identifier = obj(args.identifier);
    if (!identifier) return null;
    const ns = ctx.state.resolveNamespace(str(identifier.namespace));
    return (
      defs.find((d) => d.ownerType === identifier.ownerType && d.namespace === ns && d.key === identifier.key) ?? null
    );
  },
  currentAppInstallation: (_args, ctx) => ctx.state.appInstallation(ctx.shop),
  storeCreditAccount: (args, ctx) => shopData(ctx).storeCreditAccounts.find((a) => a.id === args.id) ?? null,
  node: (args, ctx) => lookupNode(ctx, String(args.id)),
  nodes: (args, ctx) => strings(args.ids).map((id) => lookupNode(ctx, id)),
};

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
  extraInfo?: string | null;
  elementIndex?: number | null;
}

function userError(field: string[] | null, message: string, code?: string): UserError {
  return code === undefined ? { field, message } : { field, message, code, extraInfo: null };
}

function dateInput(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return undefined;
  return isoDateTime(value);
}

function itemsOf(input: Record<string, unknown> | undefined): TypedObject | null {
  if (!input) return null;
  if (input.all === true) return { __typename: "AllDiscountItems", allItems: true };
  const products = obj(input.products);
  if (products) {
    return {
      __typename: "DiscountProducts",
      productIds: strings(products.productsToAdd),
      productVariantIds: strings(products.productVariantsToAdd),
    };
  }
  const collections = obj(input.collections);
  if (collections) return { __typename: "DiscountCollections", collectionIds: strings(collections.add) };
  return null;
}

function contextOf(input: Record<string, unknown>): TypedObject {
  const context = obj(input.context);
  const legacy = obj(input.customerSelection);
  const customers = obj(context?.customers) ?? obj(legacy?.customers);
  if (customers) return { __typename: "DiscountCustomers", customerIds: strings(customers.add) };
  const segments = obj(context?.customerSegments) ?? obj(legacy?.customerSegments);
  if (segments) return { __typename: "DiscountCustomerSegments", segmentIds: strings(segments.add) };
  const markets = obj(context?.markets);
  if (markets) return { __typename: "DiscountMarkets", marketIds: strings(markets.add) };
  return { __typename: "DiscountBuyerSelectionAll", all: "ALL" };
}

const DISCOUNT_INPUT_NAMES: Record<CodeDiscountType, string> = {
  DiscountCodeBasic: "basicCodeDiscount",
  DiscountCodeFreeShipping: "freeShippingCodeDiscount",
  DiscountCodeBxgy: "bxgyCodeDiscount",
};

function createCodeDiscount(kind: CodeDiscountType, args: Args, ctx: AdminContext) {
  const inputName = DISCOUNT_INPUT_NAMES[kind];
  const input = obj(args[inputName]) ?? {};
  const currency = shopData(ctx).shop.currencyCode;
  const errors: UserError[] = [];
  const f = (...path: string[]) => [inputName, ...path];

  const title = str(input.title)?.trim() ?? "";
  if (title === "") errors.push(userError(f("title"), "Title can't be blank", "BLANK"));
  const code = str(input.code)?.trim() ?? "";
  if (code === "") errors.push(userError(f("code"), "Code can't be blank", "BLANK"));
  else if (code.length > 255)
    errors.push(userError(f("code"), "Code is too long (maximum is 255 characters)", "TOO_LONG"));
  else if (/[\r\n]/.test(code)) errors.push(userError(f("code"), "Code cannot contain newline characters.", "INVALID"));
  else if (ctx.state.findDiscountByCode(ctx.shop, code)) {
    errors.push(userError(f("code"), "Code must be unique. Please try a different code.", "TAKEN"));
  }

  const startsAt = has(input, "startsAt") ? dateInput(input.startsAt) : ctx.state.nowIso();
  if (startsAt === undefined) errors.push(userError(f("startsAt"), "Starts at is invalid", "INVALID"));
  const endsAt = dateInput(input.endsAt);
  if (has(input, "endsAt") && endsAt === undefined)
    errors.push(userError(f("endsAt"), "Ends at is invalid", "INVALID"));
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
    errors.push(userError(f("endsAt"), "Ends at needs to be after starts_at", "INVALID"));
  }
  const usageLimit = num(input.usageLimit) ?? null;
  if (usageLimit !== null && usageLimit <= 0) {
    errors.push(userError(f("usageLimit"), "Usage limit must be greater than 0", "GREATER_THAN"));
  }

  const context = contextOf(input);
  if (context.__typename === "DiscountCustomers") {
    const ids = strings(context.customerIds);
    if (ids.some((id) => !ctx.state.customer(ctx.shop, id))) {
      errors.push(userError(f("context", "customers", "add"), "Customer does not exist", "INVALID"));
    }
  }

  const combines = obj(input.combinesWith) ?? {};
  const tagsOnSameLine = obj(combines.productDiscountsWithTagsOnSameCartLine);
  const minimum = obj(input.minimumRequirement);
  let minimumRequirement: TypedObject | null = null;
  const minQuantity = num(obj(minimum?.quantity)?.greaterThanOrEqualToQuantity);
  const minSubtotal = obj(minimum?.subtotal)?.greaterThanOrEqualToSubtotal;
  if (minQuantity !== undefined) {
    minimumRequirement = { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: String(minQuantity) };
  } else if (isDecimal(minSubtotal)) {
    minimumRequirement = {
      __typename: "DiscountMinimumSubtotal",
      greaterThanOrEqualToSubtotal: { ...money(minSubtotal, currency) },
    };
  }

  let customerGets: CodeDiscountRecord["customerGets"] = null;
  if (kind !== "DiscountCodeFreeShipping") {
    const gets = obj(input.customerGets);
    if (!gets) {
      errors.push(userError(f("customerGets"), "Customer gets can't be blank", "BLANK"));
    } else {
      const value = obj(gets.value);
      let valueRecord: TypedObject | null = null;
      if (value && typeof value.percentage === "number") {
        if (value.percentage < 0 || value.percentage > 1) {
          errors.push(
            userError(
              f("customerGets", "value", "percentage"),
              "Value must be between 0.0 and 1.0",
              "VALUE_OUTSIDE_RANGE",
            ),
          );
        }
        valueRecord = { __typename: "DiscountPercentage", percentage: value.percentage };
      } else if (obj(value?.discountAmount)) {
        const amount = obj(value?.discountAmount) ?? {};
        if (!isDecimal(amount.amount) || parseDecimal(amount.amount) <= 0n) {
          errors.push(
            userError(
              f("customerGets", "value", "discountAmount", "amount"),
              "Value must be greater than 0",
              "GREATER_THAN",
            ),
          );
        } else {
          valueRecord = {
            __typename: "DiscountAmount",
            amount: { ...money(amount.amount, currency) },
            appliesOnEachItem: bool(amount.appliesOnEachItem) ?? false,
          };
        }
      } else if (obj(value?.discountOnQuantity)) {
        const onQuantity = obj(value?.discountOnQuantity) ?? {};
        const effect = obj(onQuantity.effect) ?? {};
        const effectRecord: TypedObject =
          typeof effect.percentage === "number"
            ? { __typename: "DiscountPercentage", percentage: effect.percentage }
            : {
                __typename: "DiscountAmount",
                amount: { ...money(isDecimal(effect.amount) ? effect.amount : 0, currency) },
                appliesOnEachItem: false,
              };
        valueRecord = {
          __typename: "DiscountOnQuantity",
          quantity: { __typename: "DiscountQuantity", quantity: String(num(onQuantity.quantity) ?? 1) },
          effect: effectRecord,
        };
      } else {
        errors.push(userError(f("customerGets", "value"), "Value can't be blank", "BLANK"));
      }
      const items = itemsOf(obj(gets.items));
      if (!items) errors.push(userError(f("customerGets", "items"), "Items can't be blank", "BLANK"));
      if (valueRecord && items) {
        customerGets = {
          value: valueRecord,
          items,
          appliesOnOneTimePurchase: bool(gets.appliesOnOneTimePurchase) ?? true,
          appliesOnSubscription: bool(gets.appliesOnSubscription) ?? false,
        };
      }
    }
  }

  let customerBuys: CodeDiscountRecord["customerBuys"] = null;
  if (kind === "DiscountCodeBxgy") {
    const buys = obj(input.customerBuys);
    const value = obj(buys?.value);
    const items = itemsOf(obj(buys?.items));
    if (!buys || !value || !items) {
      errors.push(userError(f("customerBuys"), "Customer buys can't be blank", "BLANK"));
    } else {
      customerBuys = {
        value: isDecimal(value.amount)
          ? { __typename: "DiscountPurchaseAmount", amount: normalizeDecimal(value.amount) }
          : { __typename: "DiscountQuantity", quantity: String(num(value.quantity) ?? 1) },
        items,
        isOneTimePurchase: bool(buys.isOneTimePurchase) ?? true,
        isSubscription: bool(buys.isSubscription) ?? false,
      };
    }
  }

  let destinationSelection: TypedObject | null = null;
  let maximumShippingPrice = null;
  if (kind === "DiscountCodeFreeShipping") {
    const destination = obj(input.destination);
    const countries = obj(destination?.countries);
    destinationSelection = countries
      ? {
          __typename: "DiscountCountries",
          countries: strings(countries.add),
          includeRestOfWorld: bool(countries.includeRestOfWorld) ?? false,
        }
      : { __typename: "DiscountCountryAll", allCountries: true };
    if (isDecimal(input.maximumShippingPrice)) maximumShippingPrice = money(input.maximumShippingPrice, currency);
  }

  if (errors.length > 0) return { codeDiscountNode: null, userErrors: errors };

  const node = ctx.state.insertDiscount(ctx.shop, {
    __typename: kind,
    title,
    codes: [code],
    startsAt: startsAt ?? ctx.state.nowIso(),
    endsAt: endsAt ?? null,
    usageLimit,
    appliesOncePerCustomer: bool(input.appliesOncePerCustomer) ?? false,
    context,
    customerGets,
    customerBuys,
    minimumRequirement,
    combinesWith: {
      orderDiscounts: bool(combines.orderDiscounts) ?? false,
      productDiscounts: bool(combines.productDiscounts) ?? false,
      shippingDiscounts: bool(combines.shippingDiscounts) ?? false,
      productDiscountsWithTagsOnSameCartLine: tagsOnSameLine ? strings(tagsOnSameLine.add) : null,
    },
    tags: strings(input.tags),
    recurringCycleLimit: num(input.recurringCycleLimit) ?? null,
    usesPerOrderLimit: num(input.usesPerOrderLimit) ?? null,
    destinationSelection,
    maximumShippingPrice,
    appliesOnOneTimePurchase: bool(input.appliesOnOneTimePurchase) ?? true,
    appliesOnSubscription: bool(input.appliesOnSubscription) ?? false,
  });
  return { codeDiscountNode: node, userErrors: [] };
}

function discountNotFound() {
  return { codeDiscountNode: null, userErrors: [userError(["id"], "Discount does not exist", "INVALID")] };
}

interface MetafieldWrite {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Validates one metafield input; returns the write or pushes userErrors prefixed with `path`. */
function checkMetafieldInput(
  ctx: AdminContext,
  input: Record<string, unknown>,
  path: string[],
  errors: UserError[],
  options: { index?: number; ownerId?: string },
): MetafieldWrite | null {
  const withIndex = (e: UserError): UserError => (options.index === undefined ? e : { ...e, elementIndex: null });
  const before = errors.length;
  const ownerId = options.ownerId ?? str(input.ownerId) ?? "";
  const namespace = ctx.state.resolveNamespace(str(input.namespace));
  const key = str(input.key) ?? "";
  const value = str(input.value);

  if (key.length < 2)
    errors.push(withIndex(userError([...path, "key"], "Key is too short (minimum is 2 characters)", "TOO_SHORT")));
  else if (key.length > 64)
    errors.push(withIndex(userError([...path, "key"], "Key is too long (maximum is 64 characters)", "TOO_LONG")));
  else if (!/^[A-Za-z0-9_-]+$/.test(key))
    errors.push(withIndex(userError([...path, "key"], "Key contains one or more invalid characters.", "INVALID")));
  if (namespace.length < 2)
    errors.push(
      withIndex(userError([...path, "namespace"], "Namespace is too short (minimum is 2 characters)", "TOO_SHORT")),
    );
  else if (namespace.length > 255)
    errors.push(
      withIndex(userError([...path, "namespace"], "Namespace is too long (maximum is 255 characters)", "TOO_LONG")),
    );
  if (["shopify_standard", "protected", "shopify-l10n-fields"].includes(namespace)) {
    errors.push(
      withIndex(userError([...path, "namespace"], `Namespace ${namespace} is a reserved namespace`, "INVALID")),
    );
  }
  if (/^app--\d+/.test(namespace) && !namespace.startsWith(`app--${ctx.state.appId}`)) {
    errors.push(
      withIndex(
        userError(
          path,
          "Access to this namespace and key on Metafields for this resource type is not allowed.",
          "APP_NOT_AUTHORIZED",
        ),
      ),
    );
  }

  const ownerType = ctx.state.ownerTypeOf(ownerId);
  if (!options.ownerId && (!ownerType || !ctx.state.node(ctx.shop, ownerId))) {
    errors.push(withIndex(userError([...path, "ownerId"], "Owner does not exist.", "INVALID")));
  }
  const definition = ownerType ? findDefinition(ctx, ownerType, namespace, key) : undefined;
  const type = str(input.type) ?? definition?.type.name;
  if (!type) {
    errors.push(withIndex(userError([...path, "type"], "Type can't be blank", "BLANK")));
  } else if (!isKnownMetafieldType(type)) {
    errors.push(withIndex(userError([...path, "type"], `Type ${type} is not a valid type.`, "INVALID_TYPE")));
  } else if (definition && definition.type.name !== type) {
    errors.push(
      withIndex(
        userError([...path, "type"], `Type must be ${definition.type.name} to match the definition.`, "INVALID_TYPE"),
      ),
    );
  } else if (value === undefined) {
    errors.push(withIndex(userError([...path, "value"], "Value can't be blank.", "BLANK")));
  } else {
    const problem = metafieldValueError(type, value);
    if (problem) errors.push(withIndex(userError([...path, "value"], problem, "INVALID_VALUE")));
  }
  if (errors.length > before || !type || value === undefined) return null;
  return { ownerId, namespace, key, type, value };
}

function metafieldsSet(args: Args, ctx: AdminContext) {
  const inputs = Array.isArray(args.metafields) ? args.metafields.filter(isRecord) : [];
  if (inputs.length > 25) {
    return {
      metafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: "Exceeded the maximum metafields input limit of 25.",
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  }
  const errors: UserError[] = [];
  const writes: MetafieldWrite[] = [];
  inputs.forEach((input, index) => {
    const write = checkMetafieldInput(ctx, input, ["metafields", String(index)], errors, { index });
    if (!write) return;
    if (has(input, "compareDigest")) {
      const existing = ctx.state.findMetafield(ctx.shop, write.ownerId, write.namespace, write.key);
      const digest = input.compareDigest;
      const stale = {
        field: ["metafields", String(index)],
        message: "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
        code: "STALE_OBJECT",
        elementIndex: null,
      };
      if (digest === null) {
        if (existing) errors.push(stale);
      } else if (!existing) {
        errors.push({
          field: ["metafields", String(index)],
          message: "Invalid `compareDigest` value.",
          code: "INVALID_COMPARE_DIGEST",
          elementIndex: null,
        });
      } else if (
        digest !== existing.compareDigest &&
        !(existing.value === write.value && existing.type === write.type)
      ) {
        errors.push(stale);
      }
    }
    writes.push(write);
  });
  if (errors.length > 0) return { metafields: [], userErrors: errors };
  const metafields = writes.map((w) => ctx.state.upsertMetafield(ctx.shop, w));
  return { metafields, userErrors: [] };
}

const OWNER_TYPE_LABELS: Record<string, string> = {
  CUSTOMER: "Customer",
  SHOP: "Shop",
  ORDER: "Order",
  DISCOUNT: "Discount",
  PRODUCT: "Product",
  PRODUCTVARIANT: "Product variant",
  COLLECTION: "Collection",
  API_PERMISSION: "App installation",
};

function metafieldDefinitionCreate(args: Args, ctx: AdminContext) {
  const input = obj(args.definition) ?? {};
  const errors: UserError[] = [];
  const err = (field: string, message: string, code: string) =>
    errors.push({ field: ["definition", field], message, code, elementKey: null, elementIndex: null } as UserError);
  const name = str(input.name)?.trim() ?? "";
  const key = str(input.key) ?? "";
  const namespace = ctx.state.resolveNamespace(str(input.namespace));
  const ownerType = str(input.ownerType) ?? "";
  const type = str(input.type) ?? "";
  if (name === "") err("name", "Name can't be blank", "BLANK");
  if (key.length < 2) err("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  else if (key.length > 64) err("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
  else if (!/^[A-Za-z0-9_-]+$/.test(key))
    err("key", "Key contains one or more invalid characters.", "INVALID_CHARACTER");
  if (namespace.length < 2) err("namespace", "Namespace is too short (minimum is 2 characters)", "TOO_SHORT");
  if (!isKnownMetafieldType(type)) err("type", `Type name ${type} is not a valid type.`, "INCLUSION");
  const definitions = shopData(ctx).metafieldDefinitions;
  if (definitions.some((d) => d.ownerType === ownerType && d.namespace === namespace && d.key === key)) {
    err(
      "key",
      `Key is in use for ${OWNER_TYPE_LABELS[ownerType] ?? ownerType} metafields on the '${namespace}' namespace.`,
      "TAKEN",
    );
  }
  if (errors.length > 0) return { createdDefinition: null, userErrors: errors };
  const access = obj(input.access) ?? {};
  const pinned = definitions.filter((d) => d.ownerType === ownerType && d.pinnedPosition !== null);
  const record: MetafieldDefinitionRecord = {
    __typename: "MetafieldDefinition",
    id: ctx.state.nextId(ctx.shop, "MetafieldDefinition"),
    name,
    namespace,
    key,
    ownerType,
    description: str(input.description) ?? null,
    type: { name: type, category: metafieldTypeCategory(type) ?? "TEXT" },
    validations: (Array.isArray(input.validations) ? input.validations.filter(isRecord) : []).map((v) => ({
      name: String(v.name),
      value: str(v.value) ?? null,
      type: "string",
    })),
    pinnedPosition: input.pin === true ? pinned.length + 1 : null,
    access: {
      admin: str(access.admin) ?? (namespace.startsWith("app--") ? "MERCHANT_READ" : "PUBLIC_READ_WRITE"),
      storefront: str(access.storefront) ?? "NONE",
      customerAccount: str(access.customerAccount) ?? "NONE",
    },
    createdAt: ctx.state.nowIso(),
  };
  definitions.push(record);
  return { createdDefinition: record, userErrors: [] };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function normalizePhone(phone: string): string | null {
  const digits = phone.replace(/[\s().-]/g, "");
  return /^\+?\d{7,15}$/.test(digits) ? (digits.startsWith("+") ? digits : `+${digits}`) : null;
}

function customerWrite(args: Args, ctx: AdminContext, mode: "create" | "update") {
  const input = obj(args.input) ?? {};
  const errors: UserError[] = [];
  const customers = shopData(ctx).customers;
  let target: CustomerRecord | undefined;
  if (mode === "update") {
    target = typeof input.id === "string" ? ctx.state.customer(ctx.shop, input.id) : undefined;
    if (!target) return { customer: null, userErrors: [userError(["id"], "Customer does not exist")] };
  }
  const email = has(input, "email") ? str(input.email)?.trim() || null : undefined;
  const phoneRaw = has(input, "phone") ? str(input.phone)?.trim() || null : undefined;
  let phone: string | null | undefined = phoneRaw;
  if (email && !EMAIL.test(email)) errors.push(userError(["email"], "Email is invalid"));
  else if (email && customers.some((c) => c !== target && c.email?.toLowerCase() === email.toLowerCase())) {
    errors.push(userError(["email"], "Email has already been taken"));
  }
  if (phoneRaw) {
    phone = normalizePhone(phoneRaw);
    if (!phone) errors.push(userError(["phone"], "Phone is invalid"));
    else if (customers.some((c) => c !== target && c.phone === phone))
      errors.push(userError(["phone"], "Phone has already been taken"));
  }
  const firstName = has(input, "firstName") ? (str(input.firstName) ?? null) : undefined;
  const lastName = has(input, "lastName") ? (str(input.lastName) ?? null) : undefined;
  if (mode === "create" && !email && !phone && !firstName && !lastName) {
    errors.push(userError(null, "A name, phone number, or email address must be present"));
  }
  const metafieldInputs = Array.isArray(input.metafields) ? input.metafields.filter(isRecord) : [];
  const writes: MetafieldWrite[] = [];
  metafieldInputs.forEach((m, index) => {
    const write = checkMetafieldInput(ctx, m, ["metafields", String(index)], errors, {
      ownerId: target?.id ?? "gid://shopify/Customer/0",
    });
    if (write) writes.push(write);
  });
  if (errors.length > 0) return { customer: null, userErrors: errors };

  const marketing = obj(obj(input.emailMarketingConsent));
  let record: CustomerRecord;
  if (mode === "create") {
    record = ctx.state.addCustomer(ctx.shop, {
      email: email ?? null,
      phone: phone ?? null,
      firstName: firstName ?? null,
      lastName: lastName ?? null,
      note: str(input.note) ?? null,
      locale: str(input.locale) ?? "en",
      tags: strings(input.tags),
    });
  } else {
    record = target as CustomerRecord;
    if (email !== undefined) record.email = email;
    if (phone !== undefined) record.phone = phone;
    if (firstName !== undefined) record.firstName = firstName;
    if (lastName !== undefined) record.lastName = lastName;
    if (has(input, "note")) record.note = str(input.note) ?? null;
    if (typeof input.locale === "string") record.locale = input.locale;
    if (has(input, "tags")) record.tags = strings(input.tags);
    record.updatedAt = ctx.state.nowIso();
  }
  if (typeof input.taxExempt === "boolean") record.taxExempt = input.taxExempt;
  if (marketing && typeof marketing.marketingState === "string") record.emailMarketingState = marketing.marketingState;
  for (const w of writes) ctx.state.upsertMetafield(ctx.shop, { ...w, ownerId: record.id });
  return { customer: record, userErrors: [] };
}

function storeCreditAdjust(args: Args, ctx: AdminContext, direction: "credit" | "debit") {
  const inputName = direction === "credit" ? "creditInput" : "debitInput";
  const amountName = direction === "credit" ? "creditAmount" : "debitAmount";
  const input = obj(args[inputName]) ?? {};
  const amountInput = obj(input[amountName]) ?? {};
  const id = String(args.id);
  const fail = (field: string[], message: string, code: string) => ({
    storeCreditAccountTransaction: null,
    userErrors: [{ field, message, code }],
  });
  if (!isDecimal(amountInput.amount) || parseDecimal(amountInput.amount) <= 0n) {
    return fail(
      [inputName, amountName, "amount"],
      `A positive amount must be used to ${direction} a store credit account.`,
      "NEGATIVE_OR_ZERO_AMOUNT",
    );
  }
  const amount = normalizeDecimal(amountInput.amount);
  const currencyCode = String(amountInput.currencyCode);
  const expiresAt = direction === "credit" ? dateInput(input.expiresAt) : undefined;
  if (direction === "credit" && expiresAt && Date.parse(expiresAt) <= ctx.state.now().getTime()) {
    return fail([inputName, "expiresAt"], "The expiry date must be in the future.", "EXPIRES_AT_IN_PAST");
  }
  const parsed = parseGid(id);
  const data = shopData(ctx);
  let account: StoreCreditAccountRecord | undefined;
  let ownerId: string | undefined;
  if (parsed?.type === "StoreCreditAccount") {
    account = data.storeCreditAccounts.find((a) => a.id === id);
    if (!account) return fail(["id"], "Store credit account does not exist", "ACCOUNT_NOT_FOUND");
    if (account.balance.currencyCode !== currencyCode) {
      return fail(
        [inputName, amountName, "currencyCode"],
        "The currency provided does not match the currency of the store credit account.",
        "MISMATCHING_CURRENCY",
      );
    }
  } else if (parsed?.type === "Customer" || parsed?.type === "CompanyLocation") {
    if (!ctx.state.node(ctx.shop, id)) {
      return direction === "credit"
        ? fail(["id"], "Owner does not exist", "OWNER_NOT_FOUND")
        : fail(["id"], "Store credit account does not exist", "ACCOUNT_NOT_FOUND");
    }
    ownerId = id;
    account = data.storeCreditAccounts.find((a) => a.ownerId === id && a.balance.currencyCode === currencyCode);
    if (!account && direction === "debit")
      return fail(["id"], "Store credit account does not exist", "ACCOUNT_NOT_FOUND");
    if (!account && !data.shop.enabledPresentmentCurrencies.includes(currencyCode)) {
      return fail(
        [inputName, amountName, "currencyCode"],
        "The currency provided is not currently supported.",
        "UNSUPPORTED_CURRENCY",
      );
    }
  } else {
    return direction === "credit"
      ? fail(["id"], "Owner does not exist", "OWNER_NOT_FOUND")
      : fail(["id"], "Store credit account does not exist", "ACCOUNT_NOT_FOUND");
  }
  if (direction === "debit" && account && parseDecimal(account.balance.amount) < parseDecimal(amount)) {
    return fail(
      [inputName, amountName, "amount"],
      "The store credit account does not have sufficient funds to satisfy the request.",
      "INSUFFICIENT_FUNDS",
    );
  }
  const transaction: StoreCreditTransactionRecord = ctx.state.adjustStoreCredit(ctx.shop, {
    ...(account ? { accountId: account.id } : { ownerId }),
    amount: direction === "credit" ? amount : formatDecimal(-parseDecimal(amount)),
    currencyCode,
    expiresAt: expiresAt ?? null,
  });
  return { storeCreditAccountTransaction: transaction, userErrors: [] };
}

const MUTATION: Record<string, RootResolver> = {
  discountCodeBasicCreate: (args, ctx) => createCodeDiscount("DiscountCodeBasic", args, ctx),
  discountCodeFreeShippingCreate: (args, ctx) => createCodeDiscount("DiscountCodeFreeShipping", args, ctx),
  discountCodeBxgyCreate: (args, ctx) => createCodeDiscount("DiscountCodeBxgy", args, ctx),
  discountCodeDeactivate(args, ctx) {
    const node = shopData(ctx).discounts.find((d) => d.id === args.id);
    if (!node) return discountNotFound();
    const now = ctx.state.nowIso();
    if (discountStatus(node.codeDiscount, ctx.state.now()) !== "EXPIRED") {
      if (Date.parse(node.codeDiscount.startsAt) > Date.parse(now)) node.codeDiscount.startsAt = now;
      node.codeDiscount.endsAt = now;
      node.codeDiscount.updatedAt = now;
    }
    return { codeDiscountNode: node, userErrors: [] };
  },
  discountCodeActivate(args, ctx) {
    const node = shopData(ctx).discounts.find((d) => d.id === args.id);
    if (!node) return discountNotFound();
    const now = ctx.state.nowIso();
    if (discountStatus(node.codeDiscount, ctx.state.now()) !== "ACTIVE") {
      node.codeDiscount.startsAt = now;
      node.codeDiscount.endsAt = null;
      node.codeDiscount.updatedAt = now;
    }
    return { codeDiscountNode: node, userErrors: [] };
  },
  discountCodeDelete(args, ctx) {
    const discounts = shopData(ctx).discounts;
    const index = discounts.findIndex((d) => d.id === args.id);
    if (index < 0)
      return { deletedCodeDiscountId: null, userErrors: [userError(["id"], "Discount does not exist", "INVALID")] };
    discounts.splice(index, 1);
    for (const m of shopData(ctx).metafields.filter((mf) => mf.ownerId === args.id)) {
      ctx.state.deleteMetafield(ctx.shop, m.ownerId, m.namespace, m.key);
    }
    return { deletedCodeDiscountId: args.id, userErrors: [] };
  },
  metafieldsSet: (args, ctx) => metafieldsSet(args, ctx),
  metafieldsDelete(args, ctx) {
    const inputs = Array.isArray(args.metafields) ? args.metafields.filter(isRecord) : [];
    const deletedMetafields = inputs.map((input) => {
      const ownerId = String(input.ownerId);
      const namespace = ctx.state.resolveNamespace(str(input.namespace));
      const key = String(input.key);
      return ctx.state.deleteMetafield(ctx.shop, ownerId, namespace, key) ? { ownerId, namespace, key } : null;
    });
    return { deletedMetafields, userErrors: [] };
  },
  metafieldDefinitionCreate: (args, ctx) => metafieldDefinitionCreate(args, ctx),
  customerCreate: (args, ctx) => customerWrite(args, ctx, "create"),
  customerUpdate: (args, ctx) => customerWrite(args, ctx, "update"),
  storeCreditAccountCredit: (args, ctx) => storeCreditAdjust(args, ctx, "credit"),
  storeCreditAccountDebit: (args, ctx) => storeCreditAdjust(args, ctx, "debit"),
};

/** Root fields the sandbox answers; any other validating root field gets NOT_SIMULATED. */
export const SIMULATED_ROOT_FIELDS = {
  query: Object.keys(QUERY).sort(),
  mutation: Object.keys(MUTATION).sort(),
} as const;

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

const fieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, ctx, info) => {
  const field = info.fieldName;
  const parent = info.parentType;
  if (parent === info.schema.getQueryType() || parent === info.schema.getMutationType()) {
    const root = parent === info.schema.getQueryType() ? QUERY : MUTATION;
    const resolve = root[field];
    if (!resolve) throw notSimulated(`${parent.name}.${field}`);
    const result = resolve(args, ctx, info);
    if (parent === info.schema.getMutationType()) ctx.state.changed();
    return result;
  }
  const record: Source = isRecord(source) ? source : {};
  const specific = TYPE_FIELDS[parent.name]?.[field];
  if (specific) return specific(record, args, ctx, info);
  if (field === "legacyResourceId" && typeof record.id === "string") {
    const legacy = legacyIdOf(record.id);
    if (legacy !== null) return legacy;
  }
  if (
    (field === "metafield" || field === "metafields") &&
    parent.getInterfaces().some((i) => i.name === "HasMetafields")
  ) {
    const resolve = hasMetafields[field];
    if (resolve) return resolve(record, args, ctx, info);
  }
  if (has(record, field)) {
    const value = record[field];
    const named = getNamedType(info.returnType);
    if (Array.isArray(value) && isObjectType(named) && named.name.endsWith("Connection")) {
      return connection(value.filter(isRecord) as { id: string }[], args);
    }
    return value;
  }
  if (isNonNullType(info.returnType)) throw notSimulated(`${parent.name}.${field}`);
  return null;
};

const typeResolver: GraphQLTypeResolver<unknown, AdminContext> = (value, _ctx, _info, abstractType) => {
  if (isRecord(value) && typeof value.__typename === "string") return value.__typename;
  throw notSimulated(`a ${abstractType.name} without __typename`);
};

export interface ExecuteAdminOptions {
  schema: GraphQLSchema;
  state: ShopifyState;
  shop: string;
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface AdminExecution {
  result: ExecutionResult;
  search: SearchWarning[];
}

/** Executes a validated document for one shop. */
export async function executeAdminOperation(options: ExecuteAdminOptions): Promise<AdminExecution> {
  const context: AdminContext = { state: options.state, shop: options.shop, schema: options.schema, search: [] };
  options.state.ensureShop(options.shop);
  const result = await execute({
    schema: options.schema,
    document: options.document,
    rootValue: {},
    contextValue: context,
    variableValues: options.variables ?? undefined,
    operationName: options.operationName ?? undefined,
    fieldResolver,
    typeResolver,
  });
  return { result, search: context.search };
}
