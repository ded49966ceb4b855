// `npm run sandbox`: the real app on a demo store that runs offline. See README "The sandbox".
import { startSandbox } from "./sandbox";

if (process.env.NODE_ENV === "production") {
  console.error("npm run sandbox refuses to start with NODE_ENV=production: the sandbox is for development only.");
  process.exit(1);
}

const port = process.env.PORT ? Number(process.env.PORT) : 3000;
const sandbox = await startSandbox({
  port,
  ...(process.env.POINTWISE_SANDBOX_DIR ? { dir: process.env.POINTWISE_SANDBOX_DIR } : {}),
});
const { info } = sandbox;
console.log(`
Pointwise sandbox is running (Ctrl-C stops it).
  Admin:            ${info.adminUrl}
  App:              ${info.appUrl}
  Shop:             ${info.shop}
  Admin API (sim.): ${info.adminApiUrl}
  Faults:           POST ${info.appUrl}/sandbox/faults {"shopify":"up|down|slow|throttled"}
  Webhooks:         npm run sandbox:webhook -- <topic> <payload.json>
  Details:          ${sandbox.infoFile}
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
