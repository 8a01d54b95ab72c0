/**
 * Entry point of widget-uploads.js, the code a visitor downloads only when they first attach a
 * file. It hands its factory to the widget through an event on its own `<script>` element (see
 * loader.ts), so it adds no global to the host page.
 */
import { UPLOADS_EVENT } from "./contract.js";
import { createUploads } from "./tray.js";

document.currentScript?.dispatchEvent(new CustomEvent(UPLOADS_EVENT, { detail: createUploads }));
