import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// Shopify CLI's tunnel gives the app a public HOST; locally (and in the sandbox) it is localhost.
const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;

export default defineConfig({
  server: {
    allowedHosts: [host, "localhost", "127.0.0.1"],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    fs: { allow: ["app", "node_modules"] },
    // Transform the admin's modules before the first browser asks, so the first page is quick.
    warmup: { clientFiles: ["./app/entry.client.tsx", "./app/root.tsx", "./app/routes/app*.tsx"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: {
    include: ["@shopify/app-bridge-react", "@shopify/polaris", "@shopify/shopify-app-remix/react"],
  },
});
