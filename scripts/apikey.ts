// REST API keys from the command line (the admin UI offers the same):
//   npm run apikey -- create --shop <domain> --scope full|read [--name "Helpdesk"]
//   npm run apikey -- list --shop <domain>
//   npm run apikey -- revoke --shop <domain> --key <prefix or id>
//   npm run apikey -- limit --shop <domain> --key <prefix or id> (--rate <n/s> --burst <n> | --default)
// Uses DATABASE_URL like the app. The secret is printed once, at creation; only its hash is kept.
import { parseArgs } from "node:util";

import { closeDatabase, database } from "../app/db.server";
import {
  createApiKey,
  listApiKeys,
  requireShopByDomain,
  revokeApiKey,
  setApiKeyRateLimit,
  type ApiKeyScope,
} from "../app/modules/api-keys/api-keys.server";
import { DEFAULT_BURST, DEFAULT_RATE } from "../app/lib/rate-limit.server";

const usage = `usage: npm run apikey -- create --shop <domain> --scope full|read [--name <name>] [--rate <n/s> --burst <n>]
       npm run apikey -- list --shop <domain>
       npm run apikey -- revoke --shop <domain> --key <prefix or id>
       npm run apikey -- limit --shop <domain> --key <prefix or id> (--rate <n/s> --burst <n> | --default)
Rate limits default to ${DEFAULT_RATE} requests per second with bursts of ${DEFAULT_BURST}.`;

/** --rate and --burst, both or neither: whole numbers. */
function rateLimitOf(values: { rate?: string; burst?: string }) {
  if (values.rate === undefined && values.burst === undefined) return undefined;
  if (values.rate === undefined || values.burst === undefined)
    throw new Error(`give --rate and --burst together\n${usage}`);
  const [perSecond, burst] = [values.rate, values.burst].map((text) => (/^\d{1,6}$/.test(text) ? Number(text) : NaN));
  if (Number.isNaN(perSecond) || Number.isNaN(burst))
    throw new Error(`--rate and --burst must be whole numbers\n${usage}`);
  return { perSecond: perSecond as number, burst: burst as number };
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      shop: { type: "string" },
      scope: { type: "string" },
      name: { type: "string" },
      key: { type: "string" },
      rate: { type: "string" },
      burst: { type: "string" },
      default: { type: "boolean" },
    },
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
      rateLimit: rateLimitOf(values),
    });
    console.log(
      `Created ${key.scope} key ${key.prefix}… for ${shop.domain}. Its secret, shown only now:\n${key.secret}`,
    );
  } else if (command === "list") {
    const keys = await listApiKeys(db, shop.id);
    if (keys.length === 0) console.log(`${shop.domain} has no API keys`);
    for (const key of keys) {
      console.log(
        `${key.prefix}…  ${key.scope.padEnd(4)}  ${key.revokedAt ? "revoked" : "active "}  ` +
          `${key.rateLimitPerSecond ?? DEFAULT_RATE}/s burst ${key.rateLimitBurst ?? DEFAULT_BURST}  ` +
          `${key.name}  created ${key.createdAt.toISOString()}`,
      );
    }
  } else if (command === "revoke") {
    if (!values.key) throw new Error(`--key is required\n${usage}`);
    await revokeApiKey(db, shop.id, values.key);
    console.log(`Revoked ${values.key}`);
  } else if (command === "limit") {
    if (!values.key) throw new Error(`--key is required\n${usage}`);
    const rateLimit = values.default ? null : rateLimitOf(values);
    if (rateLimit === undefined) throw new Error(`give --rate and --burst, or --default\n${usage}`);
    await setApiKeyRateLimit(db, shop.id, values.key, rateLimit);
    console.log(
      rateLimit
        ? `${values.key} may now make ${rateLimit.perSecond} requests per second, bursts of ${rateLimit.burst}`
        : `${values.key} is back to the default ${DEFAULT_RATE} requests per second, bursts of ${DEFAULT_BURST}`,
    );
  } else throw new Error(usage);
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDatabase());
