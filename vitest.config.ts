import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Three layers (see README "Tests"): unit tests beside pure code, integration tests in test/ that
// call routes with really signed requests against a per-worker database, end-to-end tests that
// drive Chromium against a running sandbox. `npm test` runs the first two.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "sandbox/**/*.test.ts", "scripts/**/*.test.ts"],
          setupFiles: ["test/setup/unit.ts"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/setup/global-database.ts"],
          setupFiles: ["test/setup/integration.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
