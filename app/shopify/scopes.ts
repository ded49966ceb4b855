/** The access scopes Pointwise asks for; shopify.app.toml declares the same list (a test keeps them equal). */
export const SCOPES = [
  "write_customers",
  "read_orders",
  "write_discounts",
  "read_products",
  "read_store_credit_accounts",
  "write_store_credit_account_transactions",
];
