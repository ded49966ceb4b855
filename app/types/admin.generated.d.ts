/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

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

export type ShopProfileQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopProfileQuery = { shop: Pick<AdminTypes.Shop, 'name' | 'myshopifyDomain' | 'currencyCode'> };

interface GeneratedQueryTypes {
  "#graphql\n  query RewardDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n    }\n  }\n": {return: RewardDiscountByCodeQuery, variables: RewardDiscountByCodeQueryVariables},
  "#graphql\n  query ShopProfile {\n    shop {\n      name\n      myshopifyDomain\n      currencyCode\n    }\n  }\n": {return: ShopProfileQuery, variables: ShopProfileQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation CreateBasicRewardDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreateBasicRewardDiscountMutation, variables: CreateBasicRewardDiscountMutationVariables},
  "#graphql\n  mutation CreateFreeShippingRewardDiscount($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: CreateFreeShippingRewardDiscountMutation, variables: CreateFreeShippingRewardDiscountMutationVariables},
  "#graphql\n  mutation DeactivateRewardDiscount($id: ID!) {\n    discountCodeDeactivate(id: $id) {\n      codeDiscountNode {\n        id\n        codeDiscount {\n          ... on DiscountCodeBasic {\n            asyncUsageCount\n          }\n          ... on DiscountCodeFreeShipping {\n            asyncUsageCount\n          }\n          ... on DiscountCodeBxgy {\n            asyncUsageCount\n          }\n          ... on DiscountCodeApp {\n            asyncUsageCount\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: DeactivateRewardDiscountMutation, variables: DeactivateRewardDiscountMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
