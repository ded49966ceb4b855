import { describe, expect, it } from "vitest";

import { ApiProblem } from "~/lib/api-problem";

import { booleanFilter, collection, enumFilter, parsePage, parseSort, stringFilter } from "./mage-paging";

const url = (query: string) => new URL(`https://app.example/api/v1/customers?${query}`);

const problem = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiProblem) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected an ApiProblem");
};

describe("Mage paging", () => {
  it("defaults to page 1 of 20 and caps the size at 100", () => {
    expect(parsePage(url(""))).toEqual({ number: 1, size: 20, skip: 0, take: 20 });
    expect(parsePage(url("page[number]=3&page[size]=7"))).toEqual({ number: 3, size: 7, skip: 14, take: 7 });
    expect(parsePage(url("page[size]=1000")).size).toBe(100);
  });

  it.each(["0", "-1", "1.5", "abc", "", "1e3", "9999999999"])("400 for page[number]=%j", (value) => {
    expect(problem(() => parsePage(url(`page[number]=${value}`)))).toEqual({
      status: 400,
      message: "page[number]: must be a whole number of at least 1",
    });
  });

  it.each(["0", "-5", "2.5", "x"])("400 for page[size]=%j", (value) => {
    expect(problem(() => parsePage(url(`page[size]=${value}`))).message).toMatch(
      /^page\[size\]: must be a whole number/,
    );
  });

  it("sorts by allowed fields, descending with a leading '-', always ending with the id", () => {
    const allowed = { created_at: "createdAt", points: "availableCenti" };
    expect(parseSort(url("sort=-points,created_at"), allowed, "created_at")).toEqual([
      { availableCenti: "desc" },
      { createdAt: "asc" },
      { id: "asc" },
    ]);
    expect(parseSort(url(""), allowed, "-created_at")).toEqual([{ createdAt: "desc" }, { id: "asc" }]);
    expect(problem(() => parseSort(url("sort=password"), allowed, "created_at"))).toEqual({
      status: 400,
      message: 'sort: cannot sort by "password"; use created_at, points',
    });
  });

  it("reads string, enum and boolean filters and refuses bad ones", () => {
    expect(stringFilter(url("filter[email]=%20Ann%20"), "email")).toBe("Ann");
    expect(stringFilter(url("filter[email]="), "email")).toBeUndefined();
    expect(problem(() => stringFilter(url(`filter[email]=${"x".repeat(321)}`), "email")).status).toBe(400);
    expect(problem(() => stringFilter(url("filter[email]=a%00b"), "email")).message).toMatch(/NUL/);
    expect(enumFilter(url("filter[status]=used"), "status", ["active", "used"] as const)).toBe("used");
    expect(problem(() => enumFilter(url("filter[status]=gone"), "status", ["active", "used"] as const))).toEqual({
      status: 400,
      message: "filter[status]: must be one of active, used",
    });
    expect(booleanFilter(url("filter[is_active]=false"), "is_active")).toBe(false);
    expect(booleanFilter(url(""), "is_active")).toBeUndefined();
    expect(problem(() => booleanFilter(url("filter[is_active]=yes"), "is_active")).status).toBe(400);
  });

  it("answers a collection with meta totals and links that keep filters", () => {
    const page = parsePage(url("page[number]=2&page[size]=2"));
    const body = collection(url("filter[email]=a&page[number]=2&page[size]=2"), page, ["c", "d"], 5);
    expect(body.meta).toEqual({ total: 5, page: 2, per_page: 2, total_pages: 3 });
    expect(body.links.next).toBe("/api/v1/customers?filter[email]=a&page[number]=3&page[size]=2");
    expect(body.links.prev).toBe("/api/v1/customers?filter[email]=a&page[number]=1&page[size]=2");
    expect(collection(url(""), parsePage(url("")), [], 0)).toMatchObject({
      data: [],
      meta: { total: 0, page: 1, per_page: 20, total_pages: 1 },
      links: { prev: null, next: null },
    });
  });
});
