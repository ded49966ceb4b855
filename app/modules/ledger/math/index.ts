export * from "./dates";
export * from "./earning";
export * from "./fifo";
export * from "./money";
export * from "./points";
export * from "./reversal";
export * from "./rounding";
export * from "./tiers";
