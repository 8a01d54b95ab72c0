/**
 * The visitor's emails as composed (no server): new replies marked among the last messages, even
 * one older than those; files by name; people's text escaped in the HTML; the contact's language.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredAttachment, StoredMessage, StoredSite } from "../../src/store/store.js";
import { composeReplies, composeTranscript } from "../../src/email/visitorEmails.js";

const site = { id: 1, name: "Acme <Shop>", widget: { color: "#112233" } } as unknown as StoredSite;

function message(
  id: number,
  sender: "visitor" | "admin",
  content: string,
  agentName: string | null = null,
): StoredMessage {
  return {
    id,
    conversationId: 9,
    sender,
    content,
    createdAt: `2026-03-04T10:${String(id).padStart(2, "0")}:00.000Z`,
    clientId: null,
    agentId: agentName === null ? null : 1,
    agentName,
  };
}

const file = { id: 1, messageId: 3, filename: "invoice<1>.pdf" } as unknown as StoredAttachment;

describe("the visitor's emails", () => {
  const early = message(1, "admin", "An early reply", "Alice");
  const recent = [message(2, "visitor", "<b>hi</b> & bye"), message(3, "admin", "Here it is", "Bob")];
  const input = {
    site,
    locale: null,
    replies: [early, recent[1]!],
    recent,
    attachments: [file],
    resumeUrl: "https://shop.example/#parley=abc.def",
    answersByEmail: false,
    unsubscribeUrl: "https://chat.example/email/unsubscribe?t=x",
  };

  it("marks every new reply, even one older than the last messages, and names the agents", () => {
    const email = composeReplies(input);
    assert.equal(email.subject, "New reply from Acme <Shop>");
    assert.match(email.text, /Alice and Bob replied to your message\./);
    assert.match(email.text, /Alice · new \(.*\):\n {2}An early reply/);
    assert.match(email.text, /Bob · new \(.*\):\n {2}Here it is\n {2}Files: invoice<1>\.pdf/);
    assert.match(email.text, /You \(.*\):\n {2}<b>hi<\/b> & bye/);
    assert.ok(email.text.indexOf("An early reply") < email.text.indexOf("Here it is"), "oldest first");
    assert.match(email.text, /Continue the conversation: https:\/\/shop\.example\/#parley=abc\.def/);
    assert.doesNotMatch(email.text, /answer this email/, "no Reply-To, no promise");
  });

  it("escapes what people wrote in the HTML", () => {
    const { html } = composeReplies(input);
    assert.match(html, /&lt;b&gt;hi&lt;\/b&gt; &amp; bye/);
    assert.match(html, /invoice&lt;1&gt;\.pdf/);
    assert.match(html, /Acme &lt;Shop&gt;/);
    assert.doesNotMatch(html, /<b>hi/);
  });

  it("speaks the contact's language, and English for any other", () => {
    assert.match(
      composeReplies({ ...input, locale: "fr-CA", answersByEmail: true }).text,
      /Vous pouvez aussi répondre/,
    );
    assert.match(composeReplies({ ...input, locale: "ja-JP" }).subject, /新しい返信/);
    assert.equal(composeReplies({ ...input, locale: "pt-BR" }).locale, "en");
    const transcript = composeTranscript({ site, locale: "fr", messages: recent, attachments: [file] });
    assert.equal(transcript.subject, "Votre conversation avec Acme <Shop>");
    assert.match(transcript.text, /Vous \(.*UTC\):/);
    assert.match(transcript.text, /Fichiers: invoice<1>\.pdf/);
    assert.match(
      composeTranscript({ site, locale: null, messages: [], attachments: [] }).text,
      /No messages yet\./,
    );
  });
});
