import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/** Header that tells the sandbox's simulated Admin API which shop a call is for. */
export const SANDBOX_SHOP_HEADER = "X-Sandbox-Shop";

/**
 * Installs the fetch that @shopify/shopify-api uses for every Admin API call. It always looks
 * `globalThis.fetch` up at call time (so tests that intercept fetch see Shopify calls too) and,
 * when the sandbox names a simulated Admin API, sends Admin API calls there instead of the shop.
 */
export function installAdminFetch(sandboxAdminApiUrl: string | undefined) {
  setAbstractFetchFunc(async (input, init) => {
    if (!sandboxAdminApiUrl) return globalThis.fetch(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!url.pathname.startsWith("/admin/")) return globalThis.fetch(input, init);
    const target = new URL(url.pathname + url.search, sandboxAdminApiUrl);
    const headers = new Headers(init?.headers);
    headers.set(SANDBOX_SHOP_HEADER, url.hostname);
    return globalThis.fetch(target, { ...init, headers });
  });
}
