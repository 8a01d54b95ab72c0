/** The layout every email shares: both parts from the same pieces, people's text escaped, en/fr/ja. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderEmail } from "../../src/email/layout.js";
import { emailLocaleOf } from "../../src/email/locale.js";

describe("email layout", () => {
  const input = {
    locale: "en" as const,
    siteName: "Acme <Shop>",
    color: "#ffcc00",
    title: "New reply",
    paragraphs: ["Line one\nline two"],
    messages: [
      { sender: "Eve <script>", at: "2026-03-02T10:00:00.000Z", text: "<img src=x onerror=alert(1)> hi" },
    ],
    button: { label: "Continue", url: "https://shop.example/page#parley=abc" },
    unsubscribeUrl: "https://chat.example/email/unsubscribe?t=a.b",
  };

  it("renders the text part with every piece, as written", () => {
    const { text } = renderEmail(input);
    assert.match(text, /^New reply\n=========\n/);
    assert.match(text, /Line one\nline two/);
    assert.match(text, /Eve <script> \(.*2026.*\):\n {2}<img src=x onerror=alert\(1\)> hi/);
    assert.match(text, /Continue: https:\/\/shop\.example\/page#parley=abc/);
    assert.match(text, /-- \nAcme <Shop>\n/);
    assert.match(text, /https:\/\/chat\.example\/email\/unsubscribe\?t=a\.b/);
  });

  it("renders the HTML part escaped, in the site's colour, with a readable button", () => {
    const { html } = renderEmail(input);
    assert.ok(!html.includes("<script>") && !html.includes("<img"), "nothing from people is HTML");
    assert.match(html, /Eve &lt;script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt; hi/);
    assert.match(html, /Acme &lt;Shop&gt;/);
    assert.match(html, /Line one<br>line two/);
    assert.match(html, /background:#ffcc00;color:#111111/, "dark text on a light colour");
    assert.match(html, /href="https:\/\/shop\.example\/page#parley=abc"/);
    assert.match(html, /href="https:\/\/chat\.example\/email\/unsubscribe\?t=a\.b"/);
    assert.ok(!/<img/i.test(html), "no images");
    assert.match(renderEmail({ ...input, color: "#123" }).html, /background:#123;color:#ffffff/);
  });

  it("drops links that are not http(s) and colours that are not colours", () => {
    const { html, text } = renderEmail({
      ...input,
      color: "red;background:url(x)",
      button: { label: "Bad", url: "javascript:alert(1)" },
    });
    assert.ok(!html.includes("javascript:") && !text.includes("javascript:"));
    assert.ok(!html.includes("url(x)"));
    assert.match(html, /#2563eb/);
  });

  it("writes the footer in the email's language", () => {
    assert.match(renderEmail({ ...input, locale: "fr" }).text, /Ne plus recevoir ces e-mails/);
    assert.match(renderEmail({ ...input, locale: "ja" }).html, /lang="ja"/);
  });

  it("picks en, fr or ja from a language tag, else en", () => {
    assert.equal(emailLocaleOf("fr-CA"), "fr");
    assert.equal(emailLocaleOf("ja"), "ja");
    assert.equal(emailLocaleOf("JA_jp"), "ja");
    assert.equal(emailLocaleOf("de-DE"), "en");
    assert.equal(emailLocaleOf(null), "en");
    assert.equal(emailLocaleOf(""), "en");
  });
});
