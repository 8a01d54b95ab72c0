import assert from "node:assert/strict";
import { test } from "node:test";
import { messagePreview, previewText } from "./preview.js";

const file = (filename: string) => ({
  id: 1,
  filename,
  content_type: "image/png",
  byte_size: 10,
  url: "/uploads/1/file",
});

test("a message's text is its preview, whether or not it carries files", () => {
  assert.equal(previewText("hello", null, 0), "hello");
  assert.equal(messagePreview({ content: "see attached", attachments: [file("photo.png")] }), "see attached");
});

test("a message of files alone is previewed by the first file's name and how many more", () => {
  assert.equal(messagePreview({ content: "", attachments: [file("photo.png")] }), "photo.png");
  assert.equal(
    messagePreview({ content: "", attachments: [file("photo.png"), file("b.pdf"), file("c.txt")] }),
    "photo.png +2",
  );
  assert.equal(previewText("", "photo.png", 2), "photo.png +1");
});

test("the preview is always a string", () => {
  assert.equal(messagePreview({ content: "" }), "");
  assert.equal(previewText("", null, 3), "");
});
