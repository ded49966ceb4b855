/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type WebhookCustomerQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type WebhookCustomerQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
  )> };

export type BackfillCustomersPageQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type BackfillCustomersPageQuery = { customers: { nodes: Array<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName' | 'createdAt' | 'numberOfOrders'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>>, amountSpent: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, customersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type CreateBasicRewardDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type CreateBasicRewardDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type CreateFreeShippingRewardDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type CreateFreeShippingRewardDiscountMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type RewardDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type RewardDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type DeactivateRewardDiscountMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type DeactivateRewardDiscountMutation = { discountCodeDeactivate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<(
      Pick<AdminTypes.DiscountCodeNode, 'id'>
      & { codeDiscount: Pick<AdminTypes.DiscountCodeApp, 'asyncUsageCount'> | Pick<AdminTypes.DiscountCodeBasic, 'asyncUsageCount'> | Pick<AdminTypes.DiscountCodeBxgy, 'asyncUsageCount'> | Pick<AdminTypes.DiscountCodeFreeShipping, 'asyncUsageCount'> }
    )>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type SetPointwiseMetafieldsMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type SetPointwiseMetafieldsMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id' | 'key' | 'namespace'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code' | 'elementIndex'>> }> };

export type CreatePointwiseMetafieldDefinitionMutationVariables = AdminTypes.Exact<{
  definition: AdminTypes.MetafieldDefinitionInput;
}>;


export type CreatePointwiseMetafieldDefinitionMutation = { metafieldDefinitionCreate?: AdminTypes.Maybe<{ createdDefinition?: AdminTypes.Maybe<Pick<AdminTypes.MetafieldDefinition, 'id'>>, userErrors: Array<Pick<AdminTypes.MetafieldDefinitionCreateUserError, 'field' | 'message' | 'code'>> }> };

export type PointwiseShopIdQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type PointwiseShopIdQuery = { shop: Pick<AdminTypes.Shop, 'id'> };

export type ShopProfileQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopProfileQuery = { shop: Pick<AdminTypes.Shop, 'name' | 'myshopifyDomain' | 'currencyCode'> };

export type CreditRewardStoreCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  creditInput: AdminTypes.StoreCreditAccountCreditInput;
}>;


export type CreditRewardStoreCreditMutation = { storeCreditAccountCredit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'>
      & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, account: (
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
      ) }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountCreditUserError, 'field' | 'message' | 'code'>> }> };

export type MemberStoreCreditBalanceQueryVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
}>;


export type MemberStoreCreditBalanceQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id'>
    & { storeCreditAccounts: { nodes: Array<(
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
      )> } }
  )> };

export type MemberRecentStoreCreditsQueryVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
}>;


export type MemberRecentStoreCreditsQuery = { customer?: AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id'>
    & { storeCreditAccounts: { nodes: Array<(
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { transactions: { nodes: Array<(
            { __typename: 'StoreCreditAccountCreditTransaction' }
            & Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'createdAt'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountDebitRevertTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'createdAt'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountDebitTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'createdAt'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountExpirationTransaction' }
            & Pick<AdminTypes.StoreCreditAccountExpirationTransaction, 'createdAt'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          )> } }
      )> } }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query WebhookCustomer($id: ID!) {\n    customer(id: $id) {\n      id\n      firstName\n      lastName\n      defaultEmailAddress {\n        emailAddress\n      }\n    }\n  }\n": {return: WebhookCustomerQuery, variables: WebhookCustomerQueryVariables},
  "#graphql\n  query BackfillCustomersPage($first: Int!, $after: String) {\n    customers(first: $first, after: $after, sortKey: ID) {\n      nodes {\n        id\n        firstName\n        lastName\n        createdAt\n        numberOfOrders\n        defaultEmailAddress {\n          emailAddress\n        }\n        amountSpent {\n          amount\n          currencyCode\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    customersCount {\n      count\n      precision\n    }\n  }\n": {return: BackfillCustomersPageQuery, variables: BackfillCustomersPageQueryVariables},
  "#graphql\n  query RewardDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n    }\n  }\n": {return: RewardDiscountByCodeQuery, variables: RewardDiscountByCodeQueryVariables},
  "#graphql\n  query PointwiseShopId {\n    shop {\n      id\n    }\n  }\n": {return: PointwiseShopIdQuery, variables: PointwiseShopIdQueryVariables},
  "#graphql\n  query ShopProfile {\n    shop {\n      name\n      myshopifyDomain\n      currencyCode\n    }\n  }\n": {return: ShopProfileQuery, variables: ShopProfileQueryVariables},
  "#graphql\n  query MemberStoreCreditBalance($customerId: ID!) {\n    customer(id: $customerId) {\n      id\n      storeCreditAccounts(first: 20) {\n        nodes {\n          id\n          balance {\n            amount\n            currencyCode\n          }\n        }\n      }\n    }\n  }\n": {return: MemberStoreCreditBalanceQuery, variables: MemberStoreCreditBalanceQueryVariables},
  "#graphql\n  query MemberRecentStoreCredits($customerId: ID!) {\n    customer(id: $customerId) {\n      id\n      storeCreditAccounts(first: 3) {\n        nodes {\n          id\n          transactions(first: 25, sortKey: CREATED_AT, reverse: true) {\n            nodes {\n              __typename\n              createdAt\n              amount {\n                amount\n                currencyCode\n              }\n              ... on StoreCreditAccountCreditTransaction {\n                id\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: MemberRecentStoreCreditsQuery, variables: MemberRecentStoreCreditsQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation CreateBasicRewardDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreateBasicRewardDiscountMutation, variables: CreateBasicRewardDiscountMutationVariables},
  "#graphql\n  mutation CreateFreeShippingRewardDiscount($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreateFreeShippingRewardDiscountMutation, variables: CreateFreeShippingRewardDiscountMutationVariables},
  "#graphql\n  mutation DeactivateRewardDiscount($id: ID!) {\n    discountCodeDeactivate(id: $id) {\n      codeDiscountNode {\n        id\n        codeDiscount {\n          ... on DiscountCodeBasic {\n            asyncUsageCount\n          }\n          ... on DiscountCodeFreeShipping {\n            asyncUsageCount\n          }\n          ... on DiscountCodeBxgy {\n            asyncUsageCount\n          }\n          ... on DiscountCodeApp {\n            asyncUsageCount\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: DeactivateRewardDiscountMutation, variables: DeactivateRewardDiscountMutationVariables},
  "#graphql\n  mutation SetPointwiseMetafields($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields {\n        id\n        key\n        namespace\n      }\n      userErrors {\n        field\n        message\n        code\n        elementIndex\n      }\n    }\n  }\n": {return: SetPointwiseMetafieldsMutation, variables: SetPointwiseMetafieldsMutationVariables},
  "#graphql\n  mutation CreatePointwiseMetafieldDefinition($definition: MetafieldDefinitionInput!) {\n    metafieldDefinitionCreate(definition: $definition) {\n      createdDefinition {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreatePointwiseMetafieldDefinitionMutation, variables: CreatePointwiseMetafieldDefinitionMutationVariables},
  "#graphql\n  mutation CreditRewardStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {\n    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {\n      storeCreditAccountTransaction {\n        id\n        amount {\n          amount\n          currencyCode\n        }\n        account {\n          id\n          balance {\n            amount\n            currencyCode\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreditRewardStoreCreditMutation, variables: CreditRewardStoreCreditMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
