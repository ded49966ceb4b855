import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

import { ADMIN_API_VERSION } from "./app/shopify/api-version";

// Types every `#graphql` document in app/shopify/ against Shopify's Admin schema. The schema file
// is written offline by scripts/admin-schema.mjs (`npm run graphql-codegen` does both).
export default {
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: ADMIN_API_VERSION,
      documents: ["./app/shopify/**/*.{ts,tsx}"],
      outputDir: "./app/types",
    }),
  },
};
