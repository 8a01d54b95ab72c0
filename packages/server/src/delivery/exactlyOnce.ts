/**
 * Exactly-once delivery: how every committed message reaches every subscriber once, in id
 * order, across reconnects, restarts, deploy swaps, dead nodes and Redis outages. The pieces are
 * in this folder; the rules that tie them together, and every number they use, are here.
 *
 * 1. Ids only grow (AUTOINCREMENT on SQLite, an identity column on Postgres). "Everything after
 *    X" is one indexed query, and a client's resume point is one number: the highest id it
 *    holds, sent back as `since` when it resubscribes (protocol §6).
 *
 * 2. Live first, then the store. A subscription subscribes to its broker stream before it reads
 *    the store, and the CatchUpGate (catchUpGate.ts) holds what the stream delivers meanwhile.
 *    A message committed before the read is in the read; one committed after it is on the stream;
 *    one committed around the read may be in both. Nothing falls between the two.
 *
 * 3. Catch-up, then live, duplicates dropped by id. The gate sends the catch-up (a visitor's one
 *    `history` frame; an agent's `new_message`s after `since`, read CATCH_UP_PAGE at a time),
 *    says so (`caught_up` to agents, which the inbox waits for instead of guessing), then
 *    releases the held events in order, dropping any id it already delivered, and from then on
 *    passes live events straight through, dropping repeats the same way. After a broker gap
 *    (Redis came back: it forgets what it could not deliver) the same dance runs again from the
 *    highest id the subscription delivered (`resync`), followed by another `caught_up`.
 *
 * 4. The store tail publishes what nobody published (sharedStoreTail.ts). Every process reads
 *    the messages after the last it read, every TAIL_POLL_MS, and publishes those it did not
 *    see published:
 *    - local (no Redis; a deploy swap has two processes on one SQLite file, each with its own
 *      in-process broker): what another process published never reaches this one's clients,
 *      so anything this process did not publish itself goes out at once (grace 0);
 *    - cluster (Redis): a node killed between its commit and its publish leaves a message nobody
 *      will publish. Every message crosses the agents' stream, so what a node sees there was
 *      published; what it has not seen CLUSTER_TAIL_GRACE_MS after its commit, it publishes.
 *      Several nodes may do so at once.
 *    A process may also read its own commit just before publishing it. All these races cost a
 *    repeated frame, which step 3 and step 5 drop; none loses a message.
 *
 * 5. Receivers drop ids they hold. Parley's widget and inbox keep every id they show, so a
 *    repeat is harmless to them whenever it comes. The seed's clients do not, so the gates'
 *    windows must cover every repeat the server makes in normal running:
 *    - a visitor's stream carries one conversation: a repeat is a message committed around the
 *      history read, or a cluster tail's copy CLUSTER_TAIL_GRACE_MS later; VISITOR_RECENT_IDS
 *      of one conversation's messages span far longer than that (about 2 KiB per socket);
 *    - the agents' stream carries every message of the site: a tail's copy comes up to
 *      grace + poll + one read (about 2 s) after the original, so AGENT_RECENT_IDS must hold
 *      every message the whole site receives in that time (20,000: 10,000 a second; about
 *      640 KiB per agent socket when full, and agents are few);
 *    - a tail's seen-ids (TAIL_SEEN_IDS) hold what was published but not yet read past: the
 *      same few seconds of the whole site's messages, emptied as the tail moves on.
 *    A window too small for a burst costs the seed's clients a repeated frame, never a loss.
 */

/** A visitor's gate remembers this many delivered ids. */
export const VISITOR_RECENT_IDS = 64;

/** An agent's gate remembers this many delivered ids (the agents' stream carries every message). */
export const AGENT_RECENT_IDS = 20_000;

/** Page size of the agents' `since` catch-up and of a gap's re-read: a page is held in memory. */
export const CATCH_UP_PAGE = 500;

/** How often the store tail reads: how late another process's message reaches this one's clients. */
export const TAIL_POLL_MS = 250;

/** Rows per tail read; a backlog (a process paused for a while) is read page after page. */
export const TAIL_PAGE = 500;

/** Ids published (here or, in a cluster, seen on the agents' stream) that the tail has yet to pass. */
export const TAIL_SEEN_IDS = 20_000;

/**
 * In a cluster, how long a committed message may go unseen on the agents' stream before a tail
 * publishes it: far longer than a live node's commit → publish → Redis round trip (milliseconds),
 * short enough that a dead node's last messages arrive within about two seconds.
 */
export const CLUSTER_TAIL_GRACE_MS = 1500;

/** Whether the broker spans processes decides how long the tail waits (point 4 above). */
export function tailGraceMs(broker: "local" | "cluster"): number {
  return broker === "cluster" ? CLUSTER_TAIL_GRACE_MS : 0;
}
