/**
 * What the panel's header says about the team: online, or away. The server's word, except that
 * an outage is not an absence. When the server goes down its agents' connections go with it, so
 * the last thing visitors hear before the drop can be "away", and a restarted server answers
 * "away" until the agents' inboxes have reconnected too. So "away" after "online" is shown only
 * once it has held, connected, for AWAY_AFTER_MS; a drop meanwhile cancels it and the last known
 * availability stays, under the "Reconnecting…" note. "Online" shows at once.
 */
export const AWAY_AFTER_MS = 10_000;

export class Availability {
  #online: boolean;
  #awayTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #show: (online: boolean) => void;

  constructor(online: boolean, show: (online: boolean) => void) {
    this.#online = online;
    this.#show = show;
    show(online);
  }

  /** The server said so. */
  report(online: boolean): void {
    clearTimeout(this.#awayTimer);
    this.#awayTimer = undefined;
    if (online || !this.#online) this.#set(online);
    else this.#awayTimer = setTimeout(() => this.#set(false), AWAY_AFTER_MS);
  }

  /** The connection dropped: an "away" heard just before was the outage's doing. */
  connectionLost(): void {
    clearTimeout(this.#awayTimer);
    this.#awayTimer = undefined;
  }

  #set(online: boolean): void {
    this.#online = online;
    this.#show(online);
  }
}
