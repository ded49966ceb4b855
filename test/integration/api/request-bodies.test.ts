import { beforeAll, describe, expect, it } from "vitest";

import { database } from "~/db.server";
import { MAX_BODY_BYTES } from "~/lib/api.server";

import { TEST_APP } from "../../helpers/app";
import { createEarningRule, createKey, installShop } from "../../helpers/factories";
import { callRoute } from "../../helpers/routes";

// Bodies are read within 1 MB whatever the client declares: a streamed (chunked) body with no
// Content-Length cannot make the server hold more than that.

const db = database();
const AWARD = "app/routes/api.v1.earning-rules.$id.award.tsx";
let key: string;
let ruleId: string;

/** A body of `bytes` spaces, streamed in chunks; `pulled()` says how much the server read of it. */
const streamOf = (bytes: number, chunk = 64 * 1024) => {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const size = Math.min(chunk, bytes - sent);
      controller.enqueue(new Uint8Array(size).fill(0x20));
      sent += size;
    },
  });
  return Object.assign(stream, { pulled: () => sent });
};

const award = (body: BodyInit, headers: Record<string, string> = {}) =>
  callRoute(
    "action",
    AWARD,
    new Request(`${TEST_APP.appUrl}/api/v1/earning-rules/${ruleId}/award`, {
      method: "POST",
      headers: { Authorization: key, "Content-Type": "application/json", ...headers },
      body,
      duplex: "half",
    } as RequestInit),
    { id: ruleId },
  );

describe("request bodies", () => {
  beforeAll(async () => {
    const shop = await installShop(db, { shop: "bodies.myshopify.com" });
    key = await createKey(db, shop.id);
    ruleId = (await createEarningRule(db, shop.id)).id;
  });

  it("GIVEN a streamed body over 1 MB without Content-Length THEN 413 in the door's format", async () => {
    const response = await award(streamOf(MAX_BODY_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ status: "413", title: "Payload Too Large", detail: "The request body is larger than 1 MB" }],
    });
  });

  it("GIVEN an endless stream THEN the server stops reading it at 16 MB and answers 413", async () => {
    const stream = streamOf(512 * MAX_BODY_BYTES);
    const response = await award(stream);
    expect(response.status).toBe(413);
    expect(stream.pulled()).toBeLessThanOrEqual(17 * MAX_BODY_BYTES);
  });

  it("GIVEN a declared Content-Length far over the limit THEN 413 without reading it", async () => {
    const response = await award("{}", { "Content-Length": String(100 * MAX_BODY_BYTES) });
    expect(response.status).toBe(413);
  });

  it("GIVEN a body of exactly 1 MB THEN it is read (and judged on its content)", async () => {
    const padding = " ".repeat(MAX_BODY_BYTES - JSON.stringify({ customer_identifier: "" }).length);
    const body = `${padding}${JSON.stringify({ customer_identifier: "" })}`;
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const response = await award(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ detail: expect.stringMatching(/customer_identifier/) }] });
  });
});
