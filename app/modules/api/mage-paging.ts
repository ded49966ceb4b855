import { ApiProblem } from "~/lib/api-problem";

// Mage's collection conventions (../shared/reference/compatible-apis.md): page[number] (default 1),
// page[size] (default 20, at most 100), sort=-created_at (a leading "-" is descending) and
// filter[field]=value. Every collection endpoint under /api/v1 reads its query through these, so
// the rules and their error messages are the same everywhere.

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page {
  number: number;
  size: number;
  /** For Prisma: rows to skip and take. */
  skip: number;
  take: number;
}

const positiveInteger = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : NaN);

/**
 * page[number] and page[size]: 400 when either is not a positive whole number. A size above 100 is
 * served as 100 (meta.per_page says so), the way clients written against Mage expect.
 */
export function parsePage(url: URL): Page {
  const numberText = url.searchParams.get("page[number]");
  const sizeText = url.searchParams.get("page[size]");
  const number = numberText === null ? 1 : positiveInteger(numberText.trim());
  if (!(number >= 1)) throw new ApiProblem(400, "page[number]: must be a whole number of at least 1");
  const requested = sizeText === null ? DEFAULT_PAGE_SIZE : positiveInteger(sizeText.trim());
  if (!(requested >= 1)) throw new ApiProblem(400, `page[size]: must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  const size = Math.min(requested, MAX_PAGE_SIZE);
  return { number, size, skip: (number - 1) * size, take: size };
}

export type SortOrder = "asc" | "desc";

/**
 * `sort=-points,created_at` as Prisma orderBy entries, from the fields the endpoint allows
 * (public name → column). Always ends with the id so that pages never overlap or skip a row.
 */
export function parseSort(
  url: URL,
  allowed: Record<string, string>,
  fallback: string,
): Array<Record<string, SortOrder>> {
  const text = url.searchParams.get("sort")?.trim() || fallback;
  const orderBy: Array<Record<string, SortOrder>> = [];
  for (const part of text.split(",")) {
    const field = part.trim().replace(/^-/, "");
    const column = allowed[field];
    if (!column) {
      throw new ApiProblem(400, `sort: cannot sort by "${field.slice(0, 50)}"; use ${Object.keys(allowed).join(", ")}`);
    }
    orderBy.push({ [column]: part.trim().startsWith("-") ? "desc" : "asc" });
  }
  orderBy.push({ id: "asc" });
  return orderBy;
}

/** filter[name], trimmed; undefined when absent or empty. 400 when longer than `max`. */
export function stringFilter(url: URL, name: string, max = 320): string | undefined {
  const value = url.searchParams.get(`filter[${name}]`)?.trim();
  if (!value) return undefined;
  if (value.length > max) throw new ApiProblem(400, `filter[${name}]: must be at most ${max} characters`);
  if (value.includes("\u0000")) throw new ApiProblem(400, `filter[${name}]: must not contain NUL characters`);
  return value;
}

/** filter[name] from a closed list of values; 400 naming the allowed ones. */
export function enumFilter<T extends string>(url: URL, name: string, values: readonly T[]): T | undefined {
  const value = stringFilter(url, name, 100);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw new ApiProblem(400, `filter[${name}]: must be one of ${values.join(", ")}`);
  }
  return value as T;
}

/** filter[name]=true|false. */
export function booleanFilter(url: URL, name: string): boolean | undefined {
  const value = enumFilter(url, name, ["true", "false"] as const);
  return value === undefined ? undefined : value === "true";
}

/**
 * A JSON:API collection: `{data, meta: {total, page, per_page, total_pages}, links}`. The links keep
 * the request's filters and sort and move only page[number].
 */
export function collection<T>(url: URL, page: Page, data: T[], total: number) {
  const totalPages = Math.max(1, Math.ceil(total / page.size));
  const linkTo = (number: number) => {
    const target = new URL(url.pathname + url.search, "http://x");
    target.searchParams.set("page[number]", String(number));
    target.searchParams.set("page[size]", String(page.size));
    return `${target.pathname}?${target.searchParams.toString().replaceAll("%5B", "[").replaceAll("%5D", "]")}`;
  };
  return {
    data,
    meta: { total, page: page.number, per_page: page.size, total_pages: totalPages },
    links: {
      self: linkTo(page.number),
      first: linkTo(1),
      last: linkTo(totalPages),
      prev: page.number > 1 ? linkTo(Math.min(page.number - 1, totalPages)) : null,
      next: page.number < totalPages ? linkTo(page.number + 1) : null,
    },
  };
}
