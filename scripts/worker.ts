// `npm run worker`: processes the webhook inbox and runs the periodic jobs until SIGINT/SIGTERM.
// Several workers may run at once: each delivery is claimed by one of them (app/jobs/worker.server.ts).
import { periodicJobs } from "../app/jobs/jobs.server";
import { startWorker } from "../app/jobs/worker.server";
import { closeDatabase, database } from "../app/db.server";

const worker = startWorker(database(), {
  pollMs: Number(process.env.WORKER_POLL_MS ?? 1_000),
  jobs: periodicJobs(),
});
console.log("Pointwise worker started");

const shutdown = async () => {
  await worker.stop();
  await closeDatabase();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
