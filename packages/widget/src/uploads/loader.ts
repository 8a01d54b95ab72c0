/**
 * Loads the uploads chunk the first time a visitor attaches a file, so the code that uploads
 * (and its error texts) weighs nothing on pages where nobody does. The chunk comes from the same
 * server as widget.js, at a URL versioned by its content (immutable, cached for a year).
 */
import { UPLOADS_EVENT, type UploadsFactory } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __UPLOADS_VERSION__: string;

let loading: Promise<UploadsFactory> | undefined;

export function loadUploads(origin: string): Promise<UploadsFactory> {
  loading ??= new Promise<UploadsFactory>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${origin}/widget-uploads.js?v=${__UPLOADS_VERSION__}`;
    let factory: UploadsFactory | undefined;
    script.addEventListener(UPLOADS_EVENT, (event) =>
      resolve((factory = (event as CustomEvent<UploadsFactory>).detail)),
    );
    // Once run, the element has done its job. A chunk that failed (or never answered) is asked
    // for again on the next attach.
    script.onload = script.onerror = () => {
      script.remove();
      if (factory) return;
      loading = undefined;
      reject(new Error("widget-uploads.js did not load"));
    };
    // Not in the shadow root: a script there has no document.currentScript to find us by.
    (document.head ?? document.body).appendChild(script);
  });
  return loading;
}
