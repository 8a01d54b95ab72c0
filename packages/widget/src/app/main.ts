/**
 * Entry point of widget-app.js, the chat app: widget.js loads it when the browser is idle, or
 * at once when the visitor opens the chat first, and hands it the launcher, the storage and the
 * site's listeners. It hands its factory back through its own `<script>` element (../chunks.ts),
 * so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import { useKit } from "../ui/kit.js";
import { Widget } from "../widget.js";
import type { AppFactory } from "./contract.js";

const create: AppFactory = (context) => {
  useKit(context.kit);
  return new Widget(context);
};
handOver(create);
