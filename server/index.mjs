// The production server: the built Remix app behind Express. `npm run build && npm start`.
// Start-up parses the environment (app/lib/env.server.ts) and stops with a message naming any
// missing or malformed variable.
import { createRequestHandler } from "@remix-run/express";
import express from "express";

let build;
try {
  build = await import("../build/server/index.js");
} catch (error) {
  console.error(error instanceof Error && error.name === "InvalidEnvironmentError" ? error.message : error);
  process.exit(1);
}
const port = Number(process.env.PORT || 3000);

const app = express();
app.disable("x-powered-by");
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: "production" }));

app.listen(port, () => console.log(`Pointwise listening on port ${port}`));
