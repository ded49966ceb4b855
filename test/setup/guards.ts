import { http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, vi } from "vitest";

/**
 * Every test runs with the outside world cut off: a request to a host that no test mocked fails
 * the test (loopback stays reachable, for servers the test itself started), and so does any
 * console.error, which is how React and libraries report problems they swallow.
 */
export const network = setupServer(
  http.all(/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () => passthrough()),
);

let blockedRequests: string[] = [];
beforeAll(() => {
  network.listen({
    onUnhandledRequest(request, print) {
      blockedRequests.push(`${request.method} ${request.url}`);
      // Makes the request itself fail (msw's "error" strategy)...
      print.error();
    },
  });
});
afterEach(() => {
  network.resetHandlers();
  // ...and the test fails even if the code under test swallowed that failure.
  const blocked = blockedRequests;
  blockedRequests = [];
  if (blocked.length > 0) throw new Error(`Outbound network is blocked in tests:\n${blocked.join("\n")}`);
});
afterAll(() => network.close());

/** What the guards caught so far in this test (and forgets it): for the guards' own test. */
export function takeCaught() {
  const caught = { blockedRequests, consoleErrors };
  blockedRequests = [];
  consoleErrors = [];
  return caught;
}

let consoleErrors: unknown[][] = [];
beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});
afterEach(() => {
  const seen = consoleErrors;
  consoleErrors = [];
  if (seen.length > 0) {
    throw new Error(
      `console.error was called during the test:\n${seen.map((a) => a.map(String).join(" ")).join("\n")}`,
    );
  }
});
