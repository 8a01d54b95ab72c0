/**
 * The client's address for limits and logs: the socket's peer, or with TRUST_PROXY the first
 * address in X-Forwarded-For that is not a trusted proxy (proxy-addr, as Fastify does).
 */
import type { IncomingMessage } from "node:http";
import proxyAddr from "@fastify/proxy-addr";

export function clientAddressResolver(trustProxy: boolean | string[]): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? "unknown";
  const trust = trustProxy === true ? () => true : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}
