import { describe, expect, it } from "vitest";

import { checkWebhookUrl, parseWebhookSubscriptionInput } from "./input";

const production = { allowLocalHttp: false };
const development = { allowLocalHttp: true };

describe("checkWebhookUrl", () => {
  it("GIVEN a public https URL THEN it is accepted in its normal form, in production too", () => {
    expect(checkWebhookUrl("https://Example.com:443/hook?a=1", production)).toEqual({
      url: "https://example.com/hook?a=1",
    });
    expect(checkWebhookUrl("https://8.8.8.8/hook", production)).toEqual({ url: "https://8.8.8.8/hook" });
    expect(checkWebhookUrl("https://[2001:db8::1]/hook", production)).toEqual({ url: "https://[2001:db8::1]/hook" });
  });

  it("GIVEN http to localhost or 127.0.0.1 THEN it is accepted outside production only", () => {
    for (const url of ["http://localhost:3000/hook", "http://127.0.0.1/hook"]) {
      expect(checkWebhookUrl(url, development)).toEqual({ url });
      expect(checkWebhookUrl(url, production)).toEqual({ problem: "must use https" });
    }
    expect(checkWebhookUrl("http://10.0.0.1/hook", development)).toEqual({
      problem: "must use https (http is accepted only for localhost and 127.0.0.1)",
    });
  });

  it.each([
    "https://localhost/hook",
    "https://127.0.0.1/hook",
    "https://127.1.2.3/hook",
    "https://0x7f000001/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://172.31.255.255/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fd00::1]/hook",
    "https://[fe80::1]/hook",
    "https://api.localhost/hook",
  ])("GIVEN production WHEN the URL points inside (%s) THEN it is refused", (url) => {
    expect(checkWebhookUrl(url, production)).toEqual({
      problem: "must point to a public host, not a local or private address",
    });
  });

  it("GIVEN hosts that only look private THEN they are public", () => {
    for (const url of [
      "https://172.32.0.1/x",
      "https://192.169.0.1/x",
      "https://11.0.0.1/x",
      "https://localhost.example.com/x",
    ]) {
      expect(checkWebhookUrl(url, production)).toHaveProperty("url");
    }
  });
});

describe("parseWebhookSubscriptionInput", () => {
  it("GIVEN a flat and a JSON:API body THEN both read the same", () => {
    const attributes = { url: "https://example.com/x", events: ["points.earned"], description: "d", is_active: false };
    const expected = {
      input: { url: "https://example.com/x", events: ["points.earned"], description: "d", isActive: false },
    };
    expect(parseWebhookSubscriptionInput(attributes, "create", production)).toEqual(expected);
    expect(
      parseWebhookSubscriptionInput({ data: { type: "webhook_subscription", attributes } }, "create", production),
    ).toEqual(expected);
  });

  it("GIVEN an update THEN nothing is required but something must be given", () => {
    expect(parseWebhookSubscriptionInput({ description: null }, "update", production)).toEqual({
      input: { description: null },
    });
    expect(parseWebhookSubscriptionInput({}, "update", production)).toEqual({
      problems: ["body: give at least one of url, events, description, is_active"],
    });
    expect(parseWebhookSubscriptionInput({ data: { attributes: {} } }, "update", production)).toEqual({
      problems: ["body: give at least one of url, events, description, is_active"],
    });
    expect(parseWebhookSubscriptionInput({ data: {} }, "update", production)).toEqual({
      problems: ["data.attributes: is required"],
    });
  });

  it("GIVEN a very long unknown key or event THEN the message quotes only its start", () => {
    const long = "k".repeat(5000);
    const result = parseWebhookSubscriptionInput(
      { [long]: 1, url: "https://e.com", events: [long] },
      "create",
      production,
    );
    expect("problems" in result && result.problems.join("; ").length).toBeLessThan(600);
  });
});
