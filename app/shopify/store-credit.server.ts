import { parseMoney } from "~/modules/ledger/math/money";

import type { AdminGraphql } from "./admin-graphql.server";
import {
  adminCall,
  ShopifyDiscountRejectedError,
  ShopifyUnavailableError,
  type ShopifyUserError,
} from "./discounts.server";

// Shopify's native store credit: a store-credit reward credits the member's account (in the shop
// currency) instead of making a code. https://shopify.dev/docs/apps/build/store-credit

const CREDIT = `#graphql
  mutation CreditRewardStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
        }
        account {
          id
          balance {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const BALANCE = `#graphql
  query MemberStoreCreditBalance($customerId: ID!) {
    customer(id: $customerId) {
      id
      storeCreditAccounts(first: 20) {
        nodes {
          id
          balance {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

/**
 * Credits `amountMinor` of `currencyCode` to the customer's store credit account (Shopify opens it on
 * the first credit). Returns the transaction's id and the account's balance after it, in minor units.
 */
export async function creditStoreCredit(
  graphql: AdminGraphql,
  input: { customerGid: string; amount: string; currencyCode: string; expiresAt: Date | null },
) {
  const data = await adminCall(graphql, CREDIT, {
    id: input.customerGid,
    creditInput: {
      creditAmount: { amount: input.amount, currencyCode: input.currencyCode },
      expiresAt: input.expiresAt?.toISOString() ?? null,
    },
  });
  const result = data.storeCreditAccountCredit as {
    storeCreditAccountTransaction?: {
      id: string;
      account: { id: string; balance: { amount: string; currencyCode: string } };
    } | null;
    userErrors?: ShopifyUserError[];
  } | null;
  if (result?.userErrors && result.userErrors.length > 0) throw new ShopifyDiscountRejectedError(result.userErrors);
  const transaction = result?.storeCreditAccountTransaction;
  if (!transaction) throw new ShopifyUnavailableError("no store credit transaction in the answer");
  const { balance } = transaction.account;
  return { transactionId: transaction.id, balanceMinor: parseMoney(balance.amount, balance.currencyCode) };
}

/**
 * The customer's store credit balance in `currencyCode`, in minor units (0 without an account, or
 * when Shopify has no such customer). Accounts in other currencies are not added in.
 */
export async function readStoreCreditBalance(graphql: AdminGraphql, customerGid: string, currencyCode: string) {
  const data = await adminCall(graphql, BALANCE, { customerId: customerGid });
  const customer = data.customer as {
    storeCreditAccounts: { nodes: { balance: { amount: string; currencyCode: string } }[] };
  } | null;
  let total = 0n;
  for (const account of customer?.storeCreditAccounts.nodes ?? []) {
    if (account.balance.currencyCode === currencyCode) total += parseMoney(account.balance.amount, currencyCode);
  }
  return total;
}

const RECENT_CREDITS = `#graphql
  query MemberRecentStoreCredits($customerId: ID!) {
    customer(id: $customerId) {
      id
      storeCreditAccounts(first: 3) {
        nodes {
          id
          transactions(first: 25, sortKey: CREATED_AT, reverse: true) {
            nodes {
              __typename
              createdAt
              amount {
                amount
                currencyCode
              }
              ... on StoreCreditAccountCreditTransaction {
                id
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * A credit of exactly `amount` `currencyCode` made to the customer at or after `since` (the credit of
 * an interrupted purchase, which Shopify cannot tag with our id), or null.
 */
export async function findStoreCreditSince(
  graphql: AdminGraphql,
  input: { customerGid: string; amount: string; currencyCode: string; since: Date },
) {
  const data = await adminCall(graphql, RECENT_CREDITS, { customerId: input.customerGid });
  const customer = data.customer as {
    storeCreditAccounts: {
      nodes: {
        transactions: {
          nodes: {
            __typename: string;
            id?: string;
            createdAt: string;
            amount: { amount: string; currencyCode: string };
          }[];
        };
      }[];
    };
  } | null;
  const wanted = parseMoney(input.amount, input.currencyCode);
  for (const account of customer?.storeCreditAccounts.nodes ?? []) {
    for (const transaction of account.transactions.nodes) {
      if (
        transaction.__typename === "StoreCreditAccountCreditTransaction" &&
        transaction.amount.currencyCode === input.currencyCode &&
        parseMoney(transaction.amount.amount, input.currencyCode) === wanted &&
        Date.parse(transaction.createdAt) >= input.since.getTime()
      )
        return transaction.id ?? null;
    }
  }
  return null;
}
