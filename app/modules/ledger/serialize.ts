/**
 * JSON that keeps bigints and dates: idempotent operations store their result this way and hand
 * the very same values back on a replay.
 */
export function serializeResult(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, current: unknown) {
    const raw = this[key];
    if (typeof raw === "bigint") return { $bigint: raw.toString() };
    if (raw instanceof Date) return { $date: raw.toISOString() };
    return current;
  });
}

export function deserializeResult<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === "object") {
      const tagged = value as { $bigint?: string; $date?: string };
      if (typeof tagged.$bigint === "string" && Object.keys(value).length === 1) return BigInt(tagged.$bigint);
      if (typeof tagged.$date === "string" && Object.keys(value).length === 1) return new Date(tagged.$date);
    }
    return value;
  }) as T;
}

/** Key-order-independent JSON of an operation's input, for the idempotency hash. */
export function canonicalJson(value: unknown): string {
  if (typeof value === "bigint") return JSON.stringify({ $bigint: value.toString() });
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
