import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * Shopify's calculated query cost and its leaky bucket, as documented in "Shopify API rate limits":
 *
 * - scalar and enum fields cost 0, object / interface / union fields cost 1;
 * - a connection field (a `…Connection` type taking `first`/`last`) costs 2 plus `first` (or `last`)
 *   times the cost of one node; the `edges` / `node` / `nodes` wrappers are what is multiplied
 *   (an edge's `node` costs 1 plus its fields; `pageInfo` and `cursor` are included in the 2);
 * - an interface or union costs the most expensive of its possible selections;
 * - each top-level mutation field costs 10 (its payload selection is not charged).
 *
 * The actual cost walks the response instead: a connection costs 2 plus what its returned nodes
 * cost. Shopify refunds the difference between requested and actual cost to the bucket.
 */

export const MAX_SINGLE_QUERY_COST = 1000;
export const MUTATION_COST = 10;
export const RATE_LIMITS_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

type Variables = Record<string, unknown> | null | undefined;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

interface FieldEntry {
  node: FieldNode;
  /** The type the field is looked up on (a fragment's type condition, else the parent type). */
  on: GraphQLCompositeType;
}

function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

function walkFor(schema: GraphQLSchema, document: DocumentNode, variables: Variables): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  return { schema, fragments, variables: variables ?? {} };
}

function directiveValue(
  walk: Walk,
  node: {
    directives?: readonly {
      name: { value: string };
      arguments?: readonly { name: { value: string }; value: ValueNode }[];
    }[];
  },
): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const arg = directive.arguments?.find((a) => a.name.value === "if");
    if (!arg) continue;
    const value =
      arg.value.kind === Kind.VARIABLE
        ? walk.variables[arg.value.name.value]
        : arg.value.kind === Kind.BOOLEAN
          ? arg.value.value
          : undefined;
    if (name === "skip" && value === true) return false;
    if (name === "include" && value === false) return false;
  }
  return true;
}

/** Flattens fields, inline fragments and fragment spreads of a selection set. */
function flatten(
  walk: Walk,
  selectionSet: SelectionSetNode,
  on: GraphQLCompositeType,
  out: FieldEntry[] = [],
  seen = new Set<string>(),
): FieldEntry[] {
  for (const selection of selectionSet.selections) {
    if (!directiveValue(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      out.push({ node: selection, on });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : on;
      if (condition && isCompositeType(condition)) flatten(walk, selection.selectionSet, condition, out, seen);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      const condition = walk.schema.getType(fragment.typeCondition.name.value);
      if (condition && isCompositeType(condition)) {
        const inner = new Set(seen).add(fragment.name.value);
        flatten(walk, fragment.selectionSet, condition, out, inner);
      }
    }
  }
  return out;
}

function applies(schema: GraphQLSchema, condition: GraphQLCompositeType, concrete: GraphQLCompositeType): boolean {
  if (condition.name === concrete.name) return true;
  if (isAbstractType(condition) && isObjectType(concrete)) return schema.isSubType(condition, concrete);
  return false;
}

function fieldDefinition(entry: FieldEntry): GraphQLField<unknown, unknown> | undefined {
  if (entry.node.name.value === "__typename") return undefined;
  if (!("getFields" in entry.on)) return undefined;
  return entry.on.getFields()[entry.node.name.value];
}

function argumentValue(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown {
  const argNode = node.arguments?.find((a) => a.name.value === name);
  const def = field.args.find((a) => a.name === name);
  if (!argNode || !def) return undefined;
  return valueFromAST(argNode.value, def.type, walk.variables);
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  if (!isObjectType(named) || !named.name.endsWith("Connection")) return false;
  const fields = named.getFields();
  return ("edges" in fields || "nodes" in fields) && field.args.some((a) => a.name === "first" || a.name === "last");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Groups entries by response key, keeping the first definition's lookup type. */
function byResponseKey(entries: FieldEntry[]): Map<string, FieldEntry[]> {
  const groups = new Map<string, FieldEntry[]>();
  for (const entry of entries) {
    const key = entry.node.alias?.value ?? entry.node.name.value;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

function mergedSelectionSet(group: FieldEntry[]): SelectionSetNode | undefined {
  const selections = group.flatMap((e) => e.node.selectionSet?.selections ?? []);
  return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : undefined;
}

/**
 * Cost of a selection set on `type`. With `data` (the response object at this level) it is the
 * actual cost: fields absent from the response cost nothing and connections count returned nodes.
 */
function selectionCost(walk: Walk, selectionSet: SelectionSetNode, type: GraphQLCompositeType, data?: unknown): number {
  const entries = flatten(walk, selectionSet, type);
  if (data !== undefined) return fieldsCost(walk, entries, data);
  if (!isAbstractType(type)) {
    return fieldsCost(
      walk,
      entries.filter((e) => applies(walk.schema, e.on, type)),
    );
  }
  // Abstract type: the most expensive of the possible selections.
  const concrete = new Map<string, GraphQLCompositeType>();
  for (const e of entries) if (isObjectType(e.on) && e.on.name !== type.name) concrete.set(e.on.name, e.on);
  const generic = entries.filter((e) => !isObjectType(e.on) || e.on.name === type.name);
  let best = fieldsCost(walk, generic);
  for (const candidate of concrete.values()) {
    const applicable = entries.filter((e) => e.on.name === type.name || applies(walk.schema, e.on, candidate));
    best = Math.max(best, fieldsCost(walk, applicable));
  }
  return best;
}

function fieldsCost(walk: Walk, entries: FieldEntry[], data?: unknown): number {
  let total = 0;
  for (const [key, group] of byResponseKey(entries)) {
    const first = group[0];
    if (!first) continue;
    if (data !== undefined) {
      if (!isRecord(data) || !(key in data)) continue;
      total += fieldCost(walk, group, first, data[key]);
    } else {
      total += fieldCost(walk, group, first);
    }
  }
  return total;
}

function fieldCost(walk: Walk, group: FieldEntry[], first: FieldEntry, value?: unknown): number {
  const field = fieldDefinition(first);
  if (!field) return 0;
  const named: GraphQLNamedType = getNamedType(field.type);
  if (!isCompositeType(named)) return 0;
  const selectionSet = mergedSelectionSet(group);
  const actual = value !== undefined;

  if (isConnection(field) && isObjectType(named)) {
    if (actual && value === null) return 2;
    const perNode = connectionItemCost(walk, selectionSet, named);
    if (!actual) {
      const size = argumentValue(walk, field, first.node, "first") ?? argumentValue(walk, field, first.node, "last");
      return 2 + (typeof size === "number" && size > 0 ? size : 0) * perNode.requested;
    }
    return 2 + perNode.actual(value);
  }

  if (!selectionSet) return 1;
  if (!actual) return 1 + selectionCost(walk, selectionSet, named);
  if (value === null) return 1;
  if (Array.isArray(value)) {
    let max = 0;
    for (const item of value) max = Math.max(max, item === null ? 0 : selectionCost(walk, selectionSet, named, item));
    return 1 + max;
  }
  return 1 + selectionCost(walk, selectionSet, named, value);
}

/** Requested cost of one node of a connection, and a function computing the actual total. */
function connectionItemCost(
  walk: Walk,
  selectionSet: SelectionSetNode | undefined,
  connection: GraphQLCompositeType,
): { requested: number; actual: (value: unknown) => number } {
  if (!selectionSet || !("getFields" in connection)) return { requested: 0, actual: () => 0 };
  const entries = flatten(walk, selectionSet, connection);
  const parts: {
    key: string;
    kind: "edges" | "nodes";
    selection: SelectionSetNode | undefined;
    itemType: GraphQLCompositeType;
  }[] = [];
  for (const [key, group] of byResponseKey(entries)) {
    const first = group[0];
    if (!first) continue;
    const name = first.node.name.value;
    if (name !== "edges" && name !== "nodes") continue; // pageInfo, totalCount…: part of the base 2
    const field = fieldDefinition(first);
    if (!field) continue;
    const itemType = getNamedType(field.type);
    if (!isCompositeType(itemType)) continue;
    parts.push({ key, kind: name, selection: mergedSelectionSet(group), itemType });
  }
  const itemCost = (part: (typeof parts)[number], item?: unknown): number => {
    if (!part.selection) return part.kind === "nodes" ? 1 : 0;
    if (part.kind === "nodes") {
      return 1 + selectionCost(walk, part.selection, part.itemType, item === undefined ? undefined : item);
    }
    // edges: the edge itself is free; its `node` costs 1 plus its fields, `cursor` 0.
    return selectionCost(walk, part.selection, part.itemType, item === undefined ? undefined : item);
  };
  return {
    requested: parts.reduce((sum, part) => sum + itemCost(part), 0),
    actual(value) {
      if (!isRecord(value)) return 0;
      let total = 0;
      for (const part of parts) {
        const items = value[part.key];
        if (!Array.isArray(items)) continue;
        for (const item of items) if (item !== null) total += itemCost(part, item);
      }
      return total;
    },
  };
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  if (operation.operation === "mutation") return schema.getMutationType();
  if (operation.operation === "subscription") return schema.getSubscriptionType();
  return schema.getQueryType();
}

function mutationCost(walk: Walk, operation: OperationDefinitionNode): number {
  const type = rootType(walk.schema, operation);
  if (!type) return 0;
  const entries = flatten(walk, operation.selectionSet, type);
  let total = 0;
  for (const [, group] of byResponseKey(entries)) {
    const first = group[0];
    if (first && first.node.name.value !== "__typename") total += MUTATION_COST;
  }
  return total;
}

/** Shopify's requestedQueryCost of an operation (0 when the operation cannot be selected). */
export function calculateQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Variables,
  operationName?: string | null,
): number {
  const operation = selectOperation(document, operationName);
  if (!operation) return 0;
  const walk = walkFor(schema, document, variables);
  if (operation.operation === "mutation") return mutationCost(walk, operation);
  const type = rootType(schema, operation);
  return type ? selectionCost(walk, operation.selectionSet, type) : 0;
}

/** Shopify's actualQueryCost: the same rules applied to what the response contains. */
export function calculateActualQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Variables,
  data: unknown,
  operationName?: string | null,
): number {
  const operation = selectOperation(document, operationName);
  if (!operation) return 0;
  const walk = walkFor(schema, document, variables);
  if (operation.operation === "mutation") return mutationCost(walk, operation);
  const type = rootType(schema, operation);
  if (!type || !isRecord(data)) return 0;
  return selectionCost(walk, operation.selectionSet, type, data);
}

// ---------------------------------------------------------------------------------------------
// Leaky bucket
// ---------------------------------------------------------------------------------------------

export interface LeakyBucketOptions {
  maximumAvailable?: number;
  restoreRate?: number;
  now?: () => number;
}

/** Shopify's GraphQL leaky bucket: `maximumAvailable` points, refilled at `restoreRate` per second. */
export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private readonly clock: () => number;
  private available: number;
  private last: number;

  constructor(options: LeakyBucketOptions = {}) {
    this.maximumAvailable = options.maximumAvailable ?? 2000;
    this.restoreRate = options.restoreRate ?? 100;
    this.clock = options.now ?? Date.now;
    this.available = this.maximumAvailable;
    this.last = this.clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
  }

  /** Points available right now (fractional internally). */
  currentlyAvailable(): number {
    this.refill();
    return this.available;
  }

  /** Whether a query of this cost would be admitted right now. */
  canAfford(cost: number): boolean {
    return cost <= this.currentlyAvailable();
  }

  /** Takes `cost` points (never below 0). */
  take(cost: number): void {
    this.refill();
    this.available = Math.max(0, this.available - cost);
  }

  /** Gives back points (requested minus actual cost), capped at the maximum. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.currentlyAvailable()),
      restoreRate: this.restoreRate,
    };
  }
}

/** One bucket per shop. */
export class LeakyBuckets {
  private readonly buckets = new Map<string, LeakyBucket>();
  constructor(private readonly options: LeakyBucketOptions = {}) {}

  for(shop: string): LeakyBucket {
    let bucket = this.buckets.get(shop);
    if (!bucket) {
      bucket = new LeakyBucket(this.options);
      this.buckets.set(shop, bucket);
    }
    return bucket;
  }

  reset(): void {
    this.buckets.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

export function throttledBody(cost: QueryCost) {
  return {
    errors: [
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: RATE_LIMITS_DOCUMENTATION },
      },
    ],
    extensions: { cost },
  };
}

export function maxCostExceededBody(requestedQueryCost: number, throttleStatus: ThrottleStatus) {
  return {
    errors: [
      {
        message:
          `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
          "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
          "cost of a query is calculated.\n\n" +
          "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
          "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
        extensions: { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: MAX_SINGLE_QUERY_COST },
      },
    ],
    extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus } satisfies QueryCost },
  };
}
