// The loyalty ledger: the one place where balances change. Every door calls these operations.
export * from "./approvals.server";
export * from "./earn.server";
export * from "./errors";
export * from "./expiry.server";
export * from "./members.server";
export * from "./refunds.server";
export * from "./spend.server";
export * from "./tiers.server";
export { ledgerOperation, inTransaction } from "./transaction.server";
