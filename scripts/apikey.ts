// REST API keys from the command line (the admin UI offers the same):
//   npm run apikey -- create --shop <domain> --scope full|read [--name "Helpdesk"]
//   npm run apikey -- list --shop <domain>
//   npm run apikey -- revoke --shop <domain> --key <prefix or id>
// Uses DATABASE_URL like the app. The secret is printed once, at creation; only its hash is kept.
import { parseArgs } from "node:util";

import { closeDatabase, database } from "../app/db.server";
import {
  createApiKey,
  listApiKeys,
  requireShopByDomain,
  revokeApiKey,
  type ApiKeyScope,
} from "../app/modules/api-keys/api-keys.server";

const usage = `usage: npm run apikey -- create --shop <domain> --scope full|read [--name <name>]
       npm run apikey -- list --shop <domain>
       npm run apikey -- revoke --shop <domain> --key <prefix or id>`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { shop: { type: "string" }, scope: { type: "string" }, name: { type: "string" }, key: { type: "string" } },
  });
  const [command] = positionals;
  if (!command || !values.shop) throw new Error(usage);
  const db = database();
  const shop = await requireShopByDomain(db, values.shop);
  if (command === "create") {
    if (values.scope !== "full" && values.scope !== "read") throw new Error(`--scope must be full or read\n${usage}`);
    const key = await createApiKey(db, {
      shopId: shop.id,
      name: values.name ?? `${values.scope} access`,
      scope: values.scope as ApiKeyScope,
    });
    console.log(
      `Created ${key.scope} key ${key.prefix}… for ${shop.domain}. Its secret, shown only now:\n${key.secret}`,
    );
  } else if (command === "list") {
    const keys = await listApiKeys(db, shop.id);
    if (keys.length === 0) console.log(`${shop.domain} has no API keys`);
    for (const key of keys) {
      console.log(
        `${key.prefix}…  ${key.scope.padEnd(4)}  ${key.revokedAt ? "revoked" : "active "}  ${key.name}  created ${key.createdAt.toISOString()}`,
      );
    }
  } else if (command === "revoke") {
    if (!values.key) throw new Error(`--key is required\n${usage}`);
    await revokeApiKey(db, shop.id, values.key);
    console.log(`Revoked ${values.key}`);
  } else throw new Error(usage);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDatabase());
