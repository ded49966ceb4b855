/**
 * The ledger's typed errors. Each door maps them to its own format in one place (JSON:API on
 * /api/v1, Appstle JSON on /api/external, banners in the admin): the `code` is stable, the message is
 * what a merchant or developer reads.
 */
export abstract class LedgerError extends Error {
  abstract readonly code: string;
  /** The HTTP status the compatible APIs use for it. */
  abstract readonly status: number;
}

export class MemberNotFoundError extends LedgerError {
  readonly code = "member_not_found";
  readonly status = 404;
  constructor(readonly identifier: string) {
    super(`Customer ${identifier} not found`);
  }
}

export class MemberExcludedError extends LedgerError {
  readonly code = "member_excluded";
  readonly status = 403;
  constructor() {
    super("Customer is excluded from the loyalty program");
  }
}

export class EarningRuleNotFoundError extends LedgerError {
  readonly code = "earning_rule_not_found";
  readonly status = 404;
  constructor(readonly ruleId: string) {
    super(`Earning rule ${ruleId} not found or not active`);
  }
}

export class RuleNotAwardableError extends LedgerError {
  readonly code = "rule_not_awardable";
  readonly status = 422;
  constructor(readonly category: string) {
    super(`Earning rules of category ${category} cannot be awarded via the API; only social and engagement rules can`);
  }
}

export class AlreadyAwardedError extends LedgerError {
  readonly code = "already_awarded";
  readonly status = 409;
  constructor() {
    super("Customer has already been awarded points for this earning rule");
  }
}

export class RewardNotFoundError extends LedgerError {
  readonly code = "reward_not_found";
  readonly status = 404;
  constructor(readonly rewardId: string) {
    super(`Reward ${rewardId} not found or not active`);
  }
}

export class RewardTierRequiredError extends LedgerError {
  readonly code = "vip_tier_required";
  readonly status = 403;
  constructor(readonly tierName: string) {
    super(`This reward is only for members of the ${tierName} tier`);
  }
}

export class RewardLimitReachedError extends LedgerError {
  readonly code = "reward_limit_reached";
  readonly status = 422;
  constructor(readonly maxRedemptions: number) {
    super(`Customer has already redeemed this reward the maximum of ${maxRedemptions} times`);
  }
}

export class InvalidRewardPointsError extends LedgerError {
  readonly code = "invalid_points";
  readonly status = 422;
}

export class InsufficientPointsError extends LedgerError {
  readonly code = "insufficient_points";
  readonly status = 422;
  /** Both amounts in centipoints; the message uses the seed's exact wording. */
  constructor(
    readonly availableCenti: bigint,
    readonly requiredCenti: bigint,
    formatted: { available: string; required: string },
  ) {
    super(`Customer has ${formatted.available} points but this reward costs ${formatted.required}`);
  }
}

export class CustomerRewardNotFoundError extends LedgerError {
  readonly code = "customer_reward_not_found";
  readonly status = 404;
  constructor(readonly customerRewardId: string) {
    super(`Reward history entry ${customerRewardId} not found`);
  }
}

export class RewardNotRefundableError extends LedgerError {
  readonly code = "reward_not_refundable";
  readonly status = 409;
  constructor(readonly currentStatus: string) {
    super(`A reward that is ${currentStatus} cannot be refunded`);
  }
}

export class LotNotFoundError extends LedgerError {
  readonly code = "transaction_not_found";
  readonly status = 404;
  constructor(readonly lotId: string) {
    super(`Pending transaction ${lotId} not found`);
  }
}

export class InvalidAdjustmentError extends LedgerError {
  readonly code = "invalid_adjustment";
  readonly status = 422;
}

export class OrderNotFoundError extends LedgerError {
  readonly code = "order_not_found";
  readonly status = 404;
  constructor(readonly shopifyOrderId: string) {
    super(`Order ${shopifyOrderId} earned no points`);
  }
}

export class IdempotencyConflictError extends LedgerError {
  readonly code = "idempotency_key_reused";
  readonly status = 422;
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with a different request`);
  }
}

/** A broken invariant: a bug, never bad input. Aborts the transaction. */
export class LedgerInvariantError extends Error {
  constructor(message: string) {
    super(`Ledger invariant violated: ${message}`);
    this.name = "LedgerInvariantError";
  }
}
