/** Who a cable connection is, as the channels see it (cable/ treats it as opaque). */
import type { AgentRef } from "@parley/protocol";

export type CableIdentity =
  | { kind: "agent"; agent: AgentRef; sessionId: string }
  /** A visitor whose token came on the URL (`?token=`, the seed's way). */
  | { kind: "visitor"; token: string }
  /** No credential yet: the widget sends its token in the VisitorChannel identifier. */
  | { kind: "anonymous" };

/** The tag cable/ files a connection under, so ending a session closes its sockets. */
export function sessionTag(sessionId: string): string {
  return `session:${sessionId}`;
}
