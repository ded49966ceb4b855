export * from "./input";
export * from "./resource";
export * from "./signing";
export * from "./webhook-subscriptions.server";
