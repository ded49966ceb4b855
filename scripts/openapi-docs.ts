import { readFileSync, writeFileSync } from "node:fs";

import { openApiDocument } from "../app/modules/api/openapi";
import { renderOpenApiMarkdown } from "../app/modules/api/openapi/markdown";

// npm run docs:api           — writes docs/API.md from the OpenAPI document
// npm run docs:api -- --check — exits 1 when docs/API.md is not what the document renders
const FILE = "docs/API.md";
const rendered = renderOpenApiMarkdown(openApiDocument());

if (process.argv.includes("--check")) {
  const current = readFileSync(FILE, "utf8");
  if (current !== rendered) {
    console.error(`${FILE} is out of date with app/modules/api/openapi/: run npm run docs:api`);
    process.exit(1);
  }
  console.log(`${FILE} is up to date`);
} else {
  writeFileSync(FILE, rendered);
  console.log(`wrote ${FILE} (${rendered.length} characters)`);
}
