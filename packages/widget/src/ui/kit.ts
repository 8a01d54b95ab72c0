/**
 * The element builders the app draws with. widget.js carries ./dom.ts for the launcher and hands
 * its `h` and `icon` to the app (app/contract.ts, as it does its chunk loader), so widget-app.js
 * carries no second copy: app/main.ts sets them here before anything is drawn.
 */
import type * as Dom from "./dom.js";

export interface Kit {
  h: typeof Dom.h;
  icon: typeof Dom.icon;
}

export let h: Kit["h"];
export let icon: Kit["icon"];

export function useKit(kit: Kit): void {
  ({ h, icon } = kit);
}
