/**
 * The push endpoint allow-list against the URL tricks that make two parsers disagree: the check
 * reads a URL with WHATWG `URL`, while web-push sends with the legacy `url.parse`, so any string
 * they read differently could pass as a push service and be sent to an address inside.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PushEndpointPolicy } from "../../src/push/endpoints.js";

const FAKE_SERVICE = "https://127.0.0.1:8443";
const policy = new PushEndpointPolicy([FAKE_SERVICE]);

/** What browsers really hand out, one per push service. */
const REAL_ENDPOINTS = [
  "https://fcm.googleapis.com/fcm/send/dXpQx1Ct:APA91bHk_Fe-9W5r0Tk",
  "https://android.googleapis.com/gcm/send/abc:def",
  "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk-x_9",
  "https://web.push.apple.com/QGuQyavXutnMHxG0rmAyWMO-TAmB9Cl",
  "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAC%2bx%3d",
  `${FAKE_SERVICE}/push/0b0f7f5e-3c1e-4e0e-8a8f-1d1f0a2b3c4d`,
];

const BYPASSES: Record<string, string> = {
  // Legacy url.parse cuts the host at "%" and sends to 127.0.0.1; URL decodes it into the suffix.
  "percent-encoded dot": "https://127.0.0.1%2epush.apple.com/x",
  "percent-encoded dot, upper case": "https://127.0.0.1%2Epush.apple.com/x",
  "percent-encoded letters": "https://web%2Epush%2Eapple%2Ecom/x",
  "percent-encoded host, allowed origin": "https://127%2e0.0.1:8443/push/x",
  "userinfo before an allowed host": "https://127.0.0.1@web.push.apple.com/x",
  "userinfo with a password": "https://user:pw@fcm.googleapis.com/fcm/send/x",
  "allowed host as userinfo": "https://fcm.googleapis.com@127.0.0.1/x",
  "backslash before @": "https://fcm.googleapis.com\\@127.0.0.1/x",
  "backslash as slash": "https:\\\\fcm.googleapis.com/fcm/send/x",
  "backslash in the path": "https://fcm.googleapis.com/fcm\\send/x",
  "fragment hiding an @": "https://fcm.googleapis.com#@127.0.0.1/x",
  "query right after the host": "https://127.0.0.1?.push.apple.com/x",
  "tab inside the host": "https://127.0.0.1\t.push.apple.com/x",
  "newline inside the host": "https://web.push.apple\n.com/x",
  "carriage return": "https://web.push.apple.com/x\r",
  "leading space": " https://web.push.apple.com/x",
  "space in the path": "https://web.push.apple.com/a b",
  "NUL byte": "https://web.push.apple.com/x\u0000",
  "non-ASCII host (IDN look-alike)": "https://web.push.аpple.com/x",
  "full-width dot": "https://127.0.0.1\uff0epush.apple.com/x",
  "trailing dot": "https://web.push.apple.com./x",
  "trailing dot on an exact host": "https://fcm.googleapis.com./fcm/send/x",
  "upper-case host": "https://FCM.googleapis.com/fcm/send/x",
  "upper-case scheme": "HTTPS://fcm.googleapis.com/fcm/send/x",
  "explicit default port": "https://fcm.googleapis.com:443/fcm/send/x",
  "odd port": "https://fcm.googleapis.com:8443/fcm/send/x",
  "odd port on a suffix host": "https://web.push.apple.com:22/x",
  "another port of an allowed origin's host": "https://127.0.0.1:8444/push/x",
  "IPv4 literal": "https://127.0.0.1/x",
  "decimal IPv4": "https://2130706433/x",
  "octal IPv4": "https://0177.0.0.1/x",
  "hex IPv4": "https://0x7f.0.0.1/x",
  "IPv6 loopback": "https://[::1]/x",
  "IPv4-mapped IPv6": "https://[::ffff:127.0.0.1]/x",
  "IP literal under an allowed suffix": "https://1.2.3.4.push.apple.com.5/x",
  "dot segments": "https://fcm.googleapis.com/fcm/../admin",
  "suffix without its dot": "https://evilpush.apple.com/x",
  "bare suffix": "https://push.apple.com/x",
  "allowed name as a prefix": "https://fcm.googleapis.com.evil.example/x",
  "plain http": "http://fcm.googleapis.com/fcm/send/x",
  "no slashes": "https:fcm.googleapis.com/fcm/send/x",
  "three slashes": "https:///fcm.googleapis.com/fcm/send/x",
  "file URL": "file:///etc/passwd",
  "not a URL": "not a url",
  empty: "",
};

describe("push endpoint allow-list", () => {
  it("accepts the endpoints browsers hand out", () => {
    for (const endpoint of REAL_ENDPOINTS) assert.equal(policy.allows(endpoint), true, endpoint);
  });

  for (const [shape, endpoint] of Object.entries(BYPASSES)) {
    it(`refuses ${shape}: ${JSON.stringify(endpoint)}`, () => {
      assert.equal(policy.allows(endpoint), false);
    });
  }
});
