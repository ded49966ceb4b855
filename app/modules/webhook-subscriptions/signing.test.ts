import { describe, expect, it } from "vitest";

import { signWebhook } from "./signing";

// The expected values were computed outside this code, with OpenSSL:
//   printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac '<secret>'
const secret = "whsec_test-vector-secret";
const timestamp = 1767225600;
const body = '{"event":"points.earned","shop":"demo.myshopify.com","data":{"points":12.5,"note":"café"}}';
const expected = "sha256=533aa665ff3a61e8a33631178cf67641d2407ff56ff5ad940dd0b38842fbce8c";

describe("signWebhook", () => {
  it("GIVEN a secret, timestamp and raw body THEN it is the OpenSSL HMAC-SHA256 of `timestamp.body`", () => {
    expect(signWebhook(secret, timestamp, body)).toBe(expected);
  });

  it("signs the same bytes whether the timestamp is a number or text and the body a string or a Buffer", () => {
    expect(signWebhook(secret, String(timestamp), Buffer.from(body, "utf8"))).toBe(expected);
  });

  it("GIVEN an empty body THEN it still signs the timestamp and the dot", () => {
    expect(signWebhook("whsec_x", 0, "")).toBe(
      "sha256=4e8c2621ad6b7e8ee9325e803d12429025d82e5abc79b476cf0efabfaf9a6e57",
    );
  });

  it("changes with any change of secret, timestamp or body", () => {
    expect(signWebhook(`${secret}!`, timestamp, body)).not.toBe(expected);
    expect(signWebhook(secret, timestamp + 1, body)).not.toBe(expected);
    expect(signWebhook(secret, timestamp, `${body} `)).not.toBe(expected);
  });
});
