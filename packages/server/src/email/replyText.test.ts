/**
 * The visitor's words out of real mail clients' answers (en, fr, ja): the quoted history and
 * signature go, the answer stays; long answers are cut with a note, notes always fit.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_MESSAGE_LENGTH } from "@parley/protocol";
import { CUT_NOTE, messageContent, replyText } from "./replyText.js";

const TAG = "replies+c12-0123456789abcdef@example.com";

describe("replyText", () => {
  it("keeps Gmail's answer above its 'On … wrote:', wrapped over two lines", async () => {
    const text = [
      "Thanks, that fixed it!",
      "",
      `On Tue, Dec 1, 2026 at 10:00 AM Parley Support <${TAG}>`,
      "wrote:",
      "",
      "> Hi, try clearing the cache.",
      ">",
    ].join("\n");
    assert.equal(await replyText({ text }), "Thanks, that fixed it!");
  });

  it("keeps Outlook's answer above its rule and From/Sent block", async () => {
    const text = [
      "Yes please, go ahead.",
      "",
      "Marie",
      "",
      "________________________________",
      "From: Parley Support <help@example.com>",
      "Sent: Tuesday, December 1, 2026 10:00 AM",
      "To: marie@example.org",
      "Subject: Re: your question",
      "",
      "Hi, try clearing the cache.",
    ].join("\r\n");
    assert.equal(await replyText({ text }), "Yes please, go ahead.\n\nMarie");
  });

  it("cuts at Outlook's '-----Original Message-----' and a French From/Envoyé block", async () => {
    assert.equal(
      await replyText({
        text: "Sounds good\n\n-----Original Message-----\nFrom: Parley\nSent: today\n\nold",
      }),
      "Sounds good",
    );
    const french = [
      "D'accord, merci.",
      "",
      "De : Parley Support <help@example.com>",
      "Envoyé : mardi 1 décembre 2026 10:00",
      "À : marie@example.org",
      "Objet : RE: votre question",
      "",
      "Bonjour",
    ].join("\n");
    assert.equal(await replyText({ text: french }), "D'accord, merci.");
  });

  it("drops Apple Mail's French header and its 'Envoyé de mon iPhone'", async () => {
    const text = [
      "Merci beaucoup !",
      "",
      "Envoyé de mon iPhone",
      "",
      `> Le 1 déc. 2026 à 10:00, Parley Support <${TAG}> a écrit :`,
      ">",
      "> Bonjour, videz le cache.",
    ].join("\n");
    assert.equal(await replyText({ text }), "Merci beaucoup !");
  });

  it("cuts Thunderbird's French 'Le … a écrit :' wrapped over two lines", async () => {
    const text = "Ça marche, merci.\n\nLe 01/12/2026 à 10:00, Parley Support a\nécrit :\n> Bonjour\n";
    assert.equal(await replyText({ text }), "Ça marche, merci.");
  });

  it("cuts Gmail's Japanese header and Apple Mail's '…のメッセージ:'", async () => {
    const gmail = [
      "ありがとうございます。解決しました。",
      "",
      `2026年12月1日(火) 10:00 Parley Support <${TAG}>:`,
      "",
      "> キャッシュを削除してください。",
    ].join("\n");
    assert.equal(await replyText({ text: gmail }), "ありがとうございます。解決しました。");
    const apple = [
      "了解です。",
      "",
      "iPhoneから送信",
      "",
      "2026/12/01 10:00、Parley Support <replies@example.com>のメッセージ:",
      "",
      "> こんにちは",
    ].join("\n");
    assert.equal(await replyText({ text: apple }), "了解です。");
  });

  it("cuts Thunderbird's English header and a '-- ' signature", async () => {
    const text = [
      "Works now.",
      "",
      "-- ",
      "John Doe",
      "ACME Corp",
      "",
      "On 01/12/2026 10:00, Parley wrote:",
      "> Hi",
    ].join("\n");
    assert.equal(await replyText({ text }), "Works now.");
  });

  it("keeps a plain answer with no history as it is, lines and all", async () => {
    assert.equal(
      await replyText({ text: "  First line\nSecond line\n\n\n\nThird  \n" }),
      "First line\nSecond line\n\nThird",
    );
  });

  it("reads the HTML's text when there is no plain part, without its blockquote", async () => {
    const html =
      "<html><head><style>p{}</style></head><body><div>Hi &amp; thanks&nbsp;&#x1F600;</div><div>line 2</div>" +
      '<blockquote type="cite"><div>old</div></blockquote></body></html>';
    assert.equal(await replyText({ html }), "Hi & thanks 😀\nline 2");
  });

  it("is empty for a mail of quoted history alone", async () => {
    assert.equal(await replyText({ text: "> old\n> older\n" }), "");
    assert.equal(await replyText({}), "");
  });
});

describe("messageContent", () => {
  it("cuts a long text with a note, within MAX_MESSAGE_LENGTH", () => {
    const content = messageContent("あ".repeat(MAX_MESSAGE_LENGTH + 10));
    assert.ok([...content].length <= MAX_MESSAGE_LENGTH);
    assert.ok(content.endsWith(CUT_NOTE));
  });

  it("keeps the notes after the text, even a cut one", () => {
    assert.equal(messageContent("hi", ["[not attached]"]), "hi\n\n[not attached]");
    assert.equal(messageContent("", ["[not attached]"]), "[not attached]");
    const content = messageContent("x".repeat(MAX_MESSAGE_LENGTH), ["[not attached: a.exe]"]);
    assert.ok(content.length <= MAX_MESSAGE_LENGTH);
    assert.ok(content.endsWith(`${CUT_NOTE}\n\n[not attached: a.exe]`));
  });

  it("never splits a surrogate pair where it cuts", () => {
    const content = messageContent("😀".repeat(MAX_MESSAGE_LENGTH));
    assert.doesNotMatch(content, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
