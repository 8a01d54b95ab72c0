/**
 * The unsubscribe link of visitors' emails (protocol §16, RFC 8058): `GET` shows a page with a
 * confirm button (a link opened by a mail scanner unsubscribes nobody), `POST` unsubscribes,
 * whether from that button or a mail client's one-click (`List-Unsubscribe=One-Click`, form
 * encoded or multipart). Open to any origin and without a cookie: the signed token in `?t=` is
 * the only authority. Limited per address, before the token is read.
 */
import type { EmailLocale } from "@parley/protocol";
import type { FastifyInstance, FastifyReply } from "fastify";
import { memoryLimiter } from "../../chat/rateLimits.js";
import { escapeHtml } from "../../email/layout.js";
import { emailLocaleOf } from "../../email/locale.js";
import { UNSUBSCRIBE_TEXTS } from "../../email/texts/unsubscribe.js";
import { UNSUBSCRIBE_PATH, type UnsubscribeCheck } from "../../email/unsubscribe.js";
import type { RouteDeps } from "../routeDeps.js";

const query = {
  type: "object",
  required: ["t"],
  properties: { t: { type: "string", maxLength: 1024 } },
  additionalProperties: false,
} as const;

/** RFC 8058's body, or none (the page's own button sends the same). */
const body = {
  type: ["object", "null"],
  properties: { "List-Unsubscribe": { type: "string", const: "One-Click" } },
  additionalProperties: false,
} as const;

/** Requests per address per minute: a person clicks once; a mail client posts once. */
const PER_ADDRESS_PER_MINUTE = 20;
/** Larger than any one-click body, form or multipart. */
const MAX_FORM_BYTES = 2048;

/** The page's own rules: inline styles only, its form posts here, nothing else loads. */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(locale: EmailLocale, title: string, inner: string): string {
  return (
    `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(title)}</title></head>` +
    `<body style="margin:0;background:#f1f2f4;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#222">` +
    `<main style="max-width:480px;margin:48px auto;padding:24px;background:#fff;border-radius:8px">` +
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(title)}</h1>${inner}</main></body></html>`
  );
}

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header("content-security-policy", PAGE_POLICY)
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(html);
}

export async function emailUnsubscribeRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const limiter = memoryLimiter({
    name: "email_unsubscribe",
    points: PER_ADDRESS_PER_MINUTE,
    windowSeconds: 60,
  });
  const siteName = async (siteId: number) => (await deps.store.getSite(siteId))?.name ?? "";

  const invalidPage = (reply: FastifyReply, locale: EmailLocale = "en") => {
    const texts = UNSUBSCRIBE_TEXTS[locale];
    return send(reply, 403, page(locale, texts.invalidTitle, `<p>${escapeHtml(texts.invalid)}</p>`));
  };
  const limited = async (address: string, reply: FastifyReply): Promise<boolean> => {
    const taken = await limiter.take(address);
    if (taken.ok) return false;
    reply.header("retry-after", String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))));
    send(reply, 429, page("en", "Too many requests", "<p>Try again in a minute.</p>"));
    return true;
  };
  const check = (token: string): Promise<UnsubscribeCheck> =>
    deps.email === undefined ? Promise.resolve({ kind: "invalid" }) : deps.email.unsubscribes.check(token);

  await app.register(async (scope) => {
    // Mail clients post a form (RFC 8058); only these routes read one.
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: MAX_FORM_BYTES },
      (_request, text, done) => done(null, Object.fromEntries(new URLSearchParams(String(text)))),
    );
    scope.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "string", bodyLimit: MAX_FORM_BYTES },
      (_request, text, done) =>
        done(
          null,
          /name="List-Unsubscribe"\s+One-Click/.test(String(text)) ? { "List-Unsubscribe": "One-Click" } : {},
        ),
    );
    const options = { config: { anyOrigin: true }, schema: { querystring: query } };

    scope.get<{ Querystring: { t: string } }>(UNSUBSCRIBE_PATH, options, async (request, reply) => {
      if (await limited(request.ip, reply)) return reply;
      const checked = await check(request.query.t);
      if (checked.kind !== "valid") return invalidPage(reply);
      const locale = emailLocaleOf(checked.contact.locale);
      const texts = UNSUBSCRIBE_TEXTS[locale];
      const site = await siteName(checked.contact.siteId);
      const action = `${UNSUBSCRIBE_PATH}?t=${encodeURIComponent(request.query.t)}`;
      return send(
        reply,
        200,
        page(
          locale,
          texts.title,
          `<p>${escapeHtml(texts.question(checked.email, site))}</p>` +
            `<form method="post" action="${escapeHtml(action)}">` +
            `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
            `<button type="submit" style="padding:10px 18px;border:0;border-radius:6px;background:#222;color:#fff;font-size:15px;cursor:pointer">` +
            `${escapeHtml(texts.confirm)}</button></form>`,
        ),
      );
    });

    scope.post<{ Querystring: { t: string } }>(
      UNSUBSCRIBE_PATH,
      { ...options, schema: { ...options.schema, body } },
      async (request, reply) => {
        if (await limited(request.ip, reply)) return reply;
        const done =
          deps.email === undefined
            ? { kind: "invalid" as const }
            : await deps.email.unsubscribes.unsubscribe(request.query.t);
        if (done.kind !== "valid") return invalidPage(reply);
        const locale = emailLocaleOf(done.contact.locale);
        const texts = UNSUBSCRIBE_TEXTS[locale];
        const site = await siteName(done.contact.siteId);
        return send(
          reply,
          200,
          page(locale, texts.doneTitle, `<p>${escapeHtml(texts.done(done.email, site))}</p>`),
        );
      },
    );
  });
}
