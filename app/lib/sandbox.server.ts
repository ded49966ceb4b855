import { env } from "./env.server";

/**
 * Whether this process serves the sandbox (`npm run sandbox` or the test harness). Never true in
 * production: the environment schema refuses the sandbox variable there.
 */
export const isSandbox = () => Boolean(env().POINTWISE_SANDBOX_ADMIN_API_URL) && env().NODE_ENV !== "production";

/** Where the sandbox serves its stand-in for App Bridge (see sandbox/app-bridge-standin.js). */
export const SANDBOX_APP_BRIDGE_PATH = "/sandbox/app-bridge.js";
