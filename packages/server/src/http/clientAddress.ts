/**
 * TRUST_PROXY, as one rule for everything that asks who the client is: Fastify (request.ip,
 * request.protocol), the cable, and through them every limit per address.
 *
 * X-Forwarded-For is read from the right: each proxy appends the address it saw, so only the
 * entries our own proxies wrote can be believed, and everything left of them is whatever the
 * client chose to send. The client is the rightmost hop that is not a trusted proxy.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyAddr from "@fastify/proxy-addr";
import type { TrustProxy } from "../config.js";

/** proxy-addr's question: is the hop at `hop` (0: the socket's peer, 1: the rightmost X-Forwarded-For entry, …) one of ours? */
export type ProxyTrust = (address: string, hop: number) => boolean;

export interface ProxyRule {
  /** Handed to Fastify as `trustProxy`, so request.ip and request.protocol follow this rule. */
  trust: ProxyTrust;
  clientAddress: (request: IncomingMessage) => string;
  /** The scheme the client used: X-Forwarded-Proto only when the socket's peer is a trusted proxy. */
  scheme: (request: IncomingMessage) => "http" | "https";
}

export function proxyRule(setting: TrustProxy): ProxyRule {
  // A hop count trusts the nearest `setting` hops, whatever their address (kamal-proxy is 1).
  const trust: ProxyTrust =
    typeof setting === "number" ? (_address, hop) => hop < setting : proxyAddr.compile([...setting]);
  return {
    trust,
    clientAddress: (request) => proxyAddr(request, trust) ?? request.socket.remoteAddress ?? "unknown",
    scheme: (request) => {
      const forwarded = request.headers["x-forwarded-proto"];
      const peer = request.socket.remoteAddress;
      if (typeof forwarded === "string" && peer !== undefined && trust(peer, 0)) {
        // The nearest proxy's entry is the last, as Fastify reads it.
        return forwarded.split(",").pop()!.trim().toLowerCase() === "https" ? "https" : "http";
      }
      return (request.socket as Partial<TLSSocket>).encrypted ? "https" : "http";
    },
  };
}
