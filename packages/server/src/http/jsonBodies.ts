/**
 * JSON request bodies, where an empty body is no body. The seed's Rails server reads a request
 * that says `Content-Type: application/json` and carries nothing (as many HTTP clients send a
 * DELETE) as a request without parameters; Parley must answer it the same way, on every route and
 * method. Anything non-empty goes to Fastify's own parser, with its guards against prototype
 * poisoning, so malformed JSON is still a 400.
 */
import type { FastifyInstance } from "fastify";

export function treatEmptyJsonAsNoBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    // Only zero bytes, as Rails does (it skips parsing when Content-Length is 0): " " is not JSON.
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    void parseJson(request, body.toString(), done);
  });
}
