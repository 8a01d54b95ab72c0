/**
 * Someone else's website: a plain HTTP server on its own origin serving fixed pages, so the
 * widget is tested where it lives, embedded cross-origin.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ThirdPartySite {
  origin: string;
  /** Replaces or adds a page, e.g. to change the embed snippet between tests. */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

export async function startThirdPartySite(pages: Record<string, string> = {}): Promise<ThirdPartySite> {
  const content = new Map(Object.entries(pages));
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const html = content.get(path);
    if (html === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setPage: (path, html) => content.set(path, html),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
