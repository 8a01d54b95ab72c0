/**
 * Security headers (@fastify/helmet), one set per kind of answer:
 * - JSON (the API, errors included): it may load, run and frame nothing;
 * - the inbox at /admin: its own scripts and styles only, no inline code, images from itself
 *   (signed upload URLs, data: icons, blob: previews), its own API and cable, never framed;
 * - the demo page at `/`: no CSP (below).
 * Everywhere: nosniff, no referrer, no framing (X-Frame-Options for browsers without
 * frame-ancestors), and helmet's other defaults (HSTS, COOP and CORP same-origin). Files meant
 * for other sites set their own headers over these: widget.js (CORP cross-origin, any origin)
 * and uploads (their own stricter CSP; routes/uploads.ts).
 */
import type { IncomingMessage } from "node:http";
import type { FastifyHelmetOptions } from "@fastify/helmet";

const EVERYWHERE = {
  frameguard: { action: "deny" },
  referrerPolicy: { policy: "no-referrer" },
} satisfies FastifyHelmetOptions;

export const API_HEADERS: FastifyHelmetOptions = {
  ...EVERYWHERE,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
};

/** A host as browsers send it (name or [IPv6], optional port): nothing that could end a directive. */
const PLAIN_ORIGIN = /^https?:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * `ownOrigin`: this server's origin as the browser sees it (behind a proxy too). The cable's
 * ws:/wss: origin is named beside 'self', which not every browser matches to WebSockets.
 */
export function inboxHeaders(
  ownOrigin: (request: IncomingMessage) => string | undefined,
): FastifyHelmetOptions {
  const connect = (request: IncomingMessage): string => {
    const origin = ownOrigin(request);
    return origin !== undefined && PLAIN_ORIGIN.test(origin)
      ? `'self' ${origin.replace(/^http/, "ws")}`
      : "'self'";
  };
  return {
    ...EVERYWHERE,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        connectSrc: [connect],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  };
}

/**
 * The demo page shows the widget exactly as any site embeds it: an inline `onclick`, the
 * widget's own <style> elements. A policy allowing those would be no policy; the page is static
 * and shows no one's data, so it has none (the other headers stay).
 */
export const DEMO_PAGE_HEADERS: Omit<FastifyHelmetOptions, "global"> = { contentSecurityPolicy: false };
