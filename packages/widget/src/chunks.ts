/**
 * How widget.js fetches the code it does not carry: the chat app (widget-app.js), and how the app
 * fetches its own on-demand chunks: the upload code (widget-uploads.js) and the pre-chat form
 * (widget-prechat.js). Each is an IIFE served by the same server, at a URL versioned by its
 * content (immutable, cached for a year). A chunk adds no global: it hands what it exports to its
 * loader through an event on its own `<script>` element, which is then removed.
 */
export const CHUNK_EVENT = "parley-chunk";

/** Loads `file` from `origin` and resolves with what it hands over; rejects if it did not. */
export function loadChunk<T>(origin: string, file: string, version: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${origin}/${file}?v=${version}`;
    let handed = false;
    script.addEventListener(CHUNK_EVENT, (event) => {
      handed = true;
      resolve((event as CustomEvent<T>).detail);
    });
    // Once run, the element has done its job. A chunk that failed (or never answered) rejects,
    // and the caller may ask for it again later.
    script.onload = script.onerror = () => {
      script.remove();
      if (!handed) reject(new Error(`${file} did not load`));
    };
    // Not in the shadow root: a script there has no document.currentScript to find us by.
    (document.head ?? document.body).appendChild(script);
  });
}

/**
 * The loader's `loadChunk` with the server's origin, handed to the app (app/contract.ts), so that
 * the app does not carry a second copy of it.
 */
export type ChunkLoader = <T>(file: string, version: string) => Promise<T>;

/** A chunk the app fetches on first use: once, or again after a failure (offline?). */
export function lazyChunk<T>(file: string, version: string): (load: ChunkLoader) => Promise<T> {
  let loading: Promise<T> | undefined;
  return (load) =>
    (loading ??= load<T>(file, version).catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}

/** Called by a chunk's entry point, while it runs, with what its loader asked for. */
export function handOver(value: unknown): void {
  document.currentScript?.dispatchEvent(new CustomEvent(CHUNK_EVENT, { detail: value }));
}
