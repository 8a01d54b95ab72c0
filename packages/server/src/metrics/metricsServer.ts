/**
 * METRICS_PORT: a listener of its own that serves only GET /metrics, without a token, for a
 * Prometheus on a private network (bound to loopback unless METRICS_HOST says otherwise). Plain
 * node:http: it has one route and must keep answering when the main app is busy or draining.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { http } from "../httpModules.js";

export interface MetricsSource {
  render(): Promise<string>;
  readonly contentType: string;
}

export async function listenForMetrics(
  source: MetricsSource,
  address: { port: number; host: string },
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = http.createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response
        .writeHead(404, { "content-type": "text/plain" })
        .end("Not found: only GET /metrics is served here\n");
      return;
    }
    source.render().then(
      (body) =>
        response
          .writeHead(200, { "content-type": source.contentType, "cache-control": "no-store" })
          .end(body),
      (error: unknown) => {
        logger.error({ err: error }, "metrics: could not render");
        response.writeHead(500, { "content-type": "text/plain" }).end("Metrics failed; see the server log\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ host: address.host, port }, "metrics listening");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
