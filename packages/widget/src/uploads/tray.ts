/**
 * The uploads chunk's view and queue: files upload one after another, each with a progress bar
 * in the widget's tray; what uploads is sent in messages of up to MAX_ATTACHMENTS files once the
 * queue is empty, and what fails leaves a message saying why, until dismissed or the next attach.
 */
import { MAX_ATTACHMENTS, type Attachment } from "@parley/protocol";
import { h } from "../ui/dom.js";
import type { UploadContext, Uploads } from "./contract.js";
import { postFile, type UploadFailure } from "./post.js";
import { say, TEXTS, type UploadTexts } from "./texts.js";

/** The tray's own rules: the main stylesheet stays as small as the first load needs. */
const CSS = `
.tr>div{display:flex;gap:8px;align-items:center;margin:0 12px 6px;padding:6px 10px;border-radius:10px;background:#eef0f2;font-size:13px;overflow-wrap:anywhere}
.tr span{flex:1;min-width:0}
.tr progress{flex:1;height:8px;accent-color:var(--c)}
.tr .ue{background:#fdecea;color:#8c1d18}
.tr button{flex:none;border:0;background:none;color:inherit;font-size:18px;line-height:1;padding:2px 4px;cursor:pointer}
`;

export function createUploads(context: UploadContext): Uploads {
  const texts = TEXTS[context.locale];
  const { slot } = context;
  slot.replaceChildren(h("style", {}, CSS));
  const queue: File[] = [];
  let running = false;

  const run = async (): Promise<void> => {
    running = true;
    let uploaded: Attachment[] = [];
    for (let file = queue.shift(); file; file = queue.shift()) {
      const bar = h("progress", { max: "1", value: "0" });
      const row = h("div", { role: "status" }, h("span", {}, say(texts.uploading, file.name)), bar);
      slot.append(row);
      // The server refuses an empty file too; no need to ask it.
      const answer: Attachment | UploadFailure = file.size
        ? await postFile(context.origin, context.token, file, (done) => (bar.value = done), context.site)
        : { kind: "empty" };
      if ("kind" in answer) showError(slot, texts, file.name, answer);
      else uploaded.push(answer);
      row.remove();
      // Sent as soon as a message is full, and the rest when the queue runs dry.
      if (uploaded.length === MAX_ATTACHMENTS || (queue.length === 0 && uploaded.length > 0)) {
        context.send(uploaded);
        uploaded = [];
      }
    }
    running = false;
  };

  return {
    add(files) {
      for (const old of slot.querySelectorAll(".ue")) old.remove();
      queue.push(...files);
      if (!running) void run();
    },
  };
}

function showError(slot: HTMLElement, texts: UploadTexts, name: string, failure: UploadFailure): void {
  const text =
    failure.kind === "too_large"
      ? say(texts.tooLarge, name, failure.maxMb)
      : say(
          {
            not_allowed: texts.notAllowed,
            empty: texts.empty,
            too_fast: texts.tooFast,
            failed: texts.failed,
          }[failure.kind] ?? texts.failed,
          name,
        );
  const row: HTMLDivElement = h(
    "div",
    { class: "ue", role: "alert" },
    h("span", {}, text),
    h(
      "button",
      { type: "button", "aria-label": texts.dismiss, title: texts.dismiss, onclick: () => row.remove() },
      "×",
    ),
  );
  slot.append(row);
}
