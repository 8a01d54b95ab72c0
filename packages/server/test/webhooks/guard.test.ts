/**
 * The outbound guard (webhooks/addressGuard.ts): private, loopback, link-local and reserved
 * targets and plain http are refused when a webhook is saved, and again when it is sent, unless
 * the operator allows them (WEBHOOK_ALLOW_PRIVATE, WEBHOOK_ALLOWED_HOSTS).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRefusedAddress } from "../../src/webhooks/addressGuard.js";
import { Owner, Visitor, startTestServer, webhookEnv } from "./harness.js";
import { Receiver, eventually, testCertificate } from "./receiver.js";

describe("the webhook address guard", () => {
  it("sorts addresses into refused and public ones, IPv4 inside IPv6 included", () => {
    const refused = [
      "127.0.0.1",
      "127.255.0.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "fe80::1%eth0",
      "ff02::1",
      "2001:db8::1",
      "not an address",
    ];
    const allowed = ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"];
    for (const address of refused) assert.equal(isRefusedAddress(address), true, address);
    for (const address of allowed) assert.equal(isRefusedAddress(address), false, address);
  });

  it("refuses private, loopback and link-local URLs and plain http when a webhook is saved", async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_MINUTE: "1000" });
    try {
      const owner = await Owner.of(server);
      const urls = [
        "https://127.0.0.1/hook",
        "https://127.0.0.1:8443/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://10.0.0.8/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://0x7f000001/hook",
        "http://example.com/hook",
        "ftp://example.com/hook",
        "https://user:secret@example.com/hook",
        "https://example.com/hook#part",
        "not a url",
      ];
      for (const url of urls) {
        const { status, body } = await owner.call("POST", "/sites/1/webhooks", {
          url,
          events: ["message.created"],
        });
        assert.equal(status, 400, `${url}: ${JSON.stringify(body)}`);
        assert.equal(body.code, "invalid_request", url);
      }
      const { body } = await owner.call("GET", "/sites/1/webhooks");
      assert.deepEqual(body.webhooks, []);
    } finally {
      await server.dispose();
    }
  });

  it("takes loopback and plain http when the operator allows private targets", async () => {
    const server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: "true" });
    try {
      const owner = await Owner.of(server);
      for (const url of ["http://127.0.0.1:9/hook", "https://localhost/hook", "http://[::1]:8080/x"]) {
        const { status, body } = await owner.call("POST", "/sites/1/webhooks", {
          url,
          events: ["message.created"],
        });
        assert.equal(status, 201, `${url}: ${JSON.stringify(body)}`);
      }
    } finally {
      await server.dispose();
    }
  });

  it("checks again at send time: a loopback webhook saved while allowed is not sent once the allowance is gone", async () => {
    const receiver = await Receiver.start();
    const allowed = await startTestServer(webhookEnv());
    let strict: typeof allowed | undefined;
    try {
      const owner = await Owner.of(allowed);
      const { id } = await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
      await allowed.close();

      strict = await startTestServer(
        {
          WEBHOOK_CA_FILE: testCertificate().caFile,
          WEBHOOK_RETRY_SCHEDULE: "0.2",
          RATE_LIMIT_PER_MINUTE: "1000",
        },
        allowed.storageDir,
      );
      const strictOwner = await Owner.of(strict);
      const visitor = await Visitor.connect(strict.url);
      await visitor.say("is this sent?");
      visitor.close();
      const [delivery] = await eventually(async () => {
        const log = await strictOwner.deliveries(id);
        return log[0]?.status === "failed" && log;
      }, "the delivery to be given up");
      assert.match(String(delivery!.last_error), /private, loopback or reserved address/);
      assert.equal(delivery!.response_status, null);
      assert.equal(delivery!.attempts, 2);
      assert.equal(receiver.received.length, 0, "the receiver heard nothing");
    } finally {
      await (strict ?? allowed).dispose();
      await receiver.close();
    }
  });
});
