/** The app's identity in integration tests (set as its environment by test/setup/integration.ts). */
export const TEST_APP = {
  apiKey: "pointwise-test-client-id",
  apiSecret: "pointwise-test-client-secret",
  appUrl: "https://pointwise.test",
} as const;
