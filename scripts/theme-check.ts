// Lints the theme app extension with Shopify's own theme-check, offline. Exits 1 on any error.
import { join, relative, resolve } from "node:path";

import { themeCheckRun } from "@shopify/theme-check-node";

const root = resolve(process.argv[2] ?? "extensions/loyalty-widget");
const { offenses } = await themeCheckRun(root, join(root, ".theme-check.yml"));
const severities = ["error", "warning", "info"];
for (const offense of offenses) {
  const file = relative(process.cwd(), new URL(offense.uri).pathname);
  console.log(`${file}:${offense.start.line + 1} ${severities[offense.severity]} ${offense.check}: ${offense.message}`);
}
const errors = offenses.filter((offense) => offense.severity === 0).length;
console.log(`theme-check: ${offenses.length} offense(s), ${errors} error(s) in ${relative(process.cwd(), root)}`);
process.exit(errors > 0 ? 1 : 0);
