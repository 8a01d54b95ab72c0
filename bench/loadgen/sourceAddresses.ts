/**
 * Loopback source addresses for client sockets. Binding next to many sockets on one address
 * (open ones, and those of earlier runs lingering in TIME_WAIT for a minute) makes the kernel
 * hunt for a free port: on the bench machine that cost a millisecond of system CPU per
 * connection and made the load generator the bottleneck. So each process takes a random
 * 127.a.b.0/24 (all of 127.0.0.0/8 is loopback on Linux, no configuration needed) and each
 * run fresh addresses in it, 2,000 connections per address.
 */
const CONNECTIONS_PER_ADDRESS = 2000;

const prefix = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}`;
let nextFree = 1;

/** Addresses for `connections` sockets, none of them used by an earlier run of this process. */
export function sourceAddresses(
  connections: number,
  serverHost: string,
): (index: number) => string | undefined {
  if (serverHost !== "127.0.0.1" && serverHost !== "localhost") return () => undefined;
  const first = nextFree;
  nextFree += Math.ceil(connections / CONNECTIONS_PER_ADDRESS);
  return (index) => `${prefix}.${1 + ((first - 1 + Math.floor(index / CONNECTIONS_PER_ADDRESS)) % 254)}`;
}
