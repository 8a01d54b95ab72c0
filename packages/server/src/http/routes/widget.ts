/**
 * What a website's visitors download: widget.js and the chunks it loads (gzipped once, when first
 * asked for, with an ETag so browsers revalidate cheaply), the public widget settings, and the
 * demo page at `/`.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SITE_KEY_PATTERN } from "@parley/protocol";
import { pageOf } from "../originGuard.js";
import type { RouteDeps } from "../routeDeps.js";
import { noQuery } from "../schemas.js";
import { DEMO_PAGE_HEADERS } from "../securityHeaders.js";

/** `?site=KEY` (protocol §10): the widget tag's `data-site`; absent: the default site. */
const siteQuery = {
  type: "object",
  properties: { site: { type: "string", pattern: SITE_KEY_PATTERN.source } },
  additionalProperties: false,
} as const;

/** `?v=<etag>` marks a versioned, immutable script URL. */
const scriptQuery = {
  type: "object",
  properties: { v: { type: "string", maxLength: 64 } },
  additionalProperties: false,
} as const;

class Asset {
  readonly etag: string;
  private compressed: Buffer | undefined;

  constructor(
    readonly body: Buffer,
    readonly type: string,
  ) {
    this.etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  }

  /**
   * Compressed at the first request that takes gzip, not at boot: the nine files at level 9 were
   * a tenth of a restart, and most chunks are asked for rarely or never by a process.
   */
  get gzipped(): Buffer {
    this.compressed ??= gzipSync(this.body, { level: 9 });
    return this.compressed;
  }
}

function loadAsset(path: string, type: string): Asset | undefined {
  try {
    return new Asset(readFileSync(path), type);
  } catch {
    return undefined;
  }
}

async function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
  reply.header("etag", asset.etag).header("cache-control", cacheControl).header("vary", "accept-encoding");
  if (request.headers["if-none-match"] === asset.etag) return reply.code(304).send();
  reply.type(asset.type);
  if (/\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
    return reply.header("content-encoding", "gzip").send(asset.gzipped);
  }
  return reply.send(asset.body);
}

const MISSING = "Not built yet: run `npm run build` (npm start does it for you).";

export function widgetRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const javascript = "application/javascript; charset=utf-8";
  const widget = loadAsset(deps.assets.widgetJs, javascript);
  // Built next to widget.js (the loader): the chat app it fetches at idle or on first open, and
  // the chunks the app fetches on first use: the upload code, the pre-chat form, identify, and
  // what to expect (when a closed team is back, the acknowledgement of a first message), and
  // email (the ask for an address, transcripts, a reply email's link: §16), and the rating card
  // of a resolved conversation (§18).
  const sibling = (file: string) => loadAsset(deps.assets.widgetJs.replace(/widget\.js$/, file), javascript);
  const chatApp = sibling("widget-app.js");
  const uploads = sibling("widget-uploads.js");
  const prechat = sibling("widget-prechat.js");
  const identify = sibling("widget-identify.js");
  const expect = sibling("widget-expect.js");
  const mail = sibling("widget-mail.js");
  const rating = sibling("widget-rating.js");
  const demo = loadAsset(deps.assets.demoHtml, "text/html; charset=utf-8");

  const scripts = [
    ["/widget.js", widget],
    ["/widget-app.js", chatApp],
    ["/widget-uploads.js", uploads],
    ["/widget-prechat.js", prechat],
    ["/widget-identify.js", identify],
    ["/widget-expect.js", expect],
    ["/widget-mail.js", mail],
    ["/widget-rating.js", rating],
  ] as const;
  for (const [path, asset] of scripts) {
    app.get<{ Querystring: { v?: string } }>(
      path,
      { schema: { querystring: scriptQuery } },
      async (request, reply) => {
        if (asset === undefined) return reply.code(404).type("text/plain").send(MISSING);
        // `?v=<etag>` URLs never change, so they may be kept for a year; the bare URL revalidates.
        const versioned = request.query.v !== undefined;
        reply
          .header("access-control-allow-origin", "*")
          .header("cross-origin-resource-policy", "cross-origin");
        return sendAsset(
          request,
          reply,
          asset,
          versioned ? "public, max-age=31536000, immutable" : "public, max-age=300",
        );
      },
    );
  }

  app.get<{ Querystring: { site?: string } }>(
    "/widget/config",
    { schema: { querystring: siteQuery }, config: { widgetRoute: true } },
    async (request, reply) => {
      const { sites, siteAvailability } = deps.chat;
      const site = sites.active(request.query.site);
      if (site === undefined) {
        return reply.code(404).send({ error: "No such site: data-site names no site, or an archived one" });
      }
      if (!sites.allowsPage(site, pageOf(request))) {
        return reply.code(403).send({ error: "This site's widget does not run on this origin" });
      }
      return sites.widgetConfig(site, await siteAvailability.online(site.id));
    },
  );

  app.get("/", { schema: { querystring: noQuery }, helmet: DEMO_PAGE_HEADERS }, async (request, reply) => {
    if (demo === undefined) return reply.code(404).type("text/plain").send(MISSING);
    return sendAsset(request, reply, demo, "no-cache");
  });
}
