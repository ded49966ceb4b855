import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version of Pointwise: used by the Shopify client, GraphQL codegen, the
 * sandbox's schema and shopify.app.toml's webhooks api_version (a test keeps them equal).
 */
export const ADMIN_API_VERSION = ApiVersion.October26;
