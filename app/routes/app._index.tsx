import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";

import { database } from "~/db.server";
import { countMembers } from "~/modules/customers/customers.server";
import { recordInstallation } from "~/modules/shops/shops.server";
import { authenticate } from "~/shopify.server";
import { fetchShopProfile } from "~/shopify/shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const db = database();
  const [profile, shop] = await Promise.all([fetchShopProfile(admin.graphql), recordInstallation(db, session.shop)]);
  return { profile, members: await countMembers(db, shop.id) };
};

export default function Home() {
  const { profile, members } = useLoaderData<typeof loader>();
  return (
    <Page title="Pointwise">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Loyalty program for {profile.name}
              </Text>
              <Text as="p" tone="subdued">
                {profile.myshopifyDomain} · prices in {profile.currencyCode}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={2} gap="400">
            <Card>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  Members
                </Text>
                <Text as="p" variant="heading2xl" id="pointwise-members">
                  {members.toLocaleString("en")}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  Currency
                </Text>
                <Text as="p" variant="heading2xl">
                  {profile.currencyCode}
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
