/**
 * Open cable sockets per client address (MAX_CONNECTIONS_PER_ADDRESS): one machine cannot hold
 * thousands of sockets, while an office behind one NAT keeps room for every colleague's tabs.
 */
export class ConnectionsPerAddress {
  private readonly counts = new Map<string, number>();

  /** `max` 0: no cap. */
  constructor(private readonly max: number) {}

  /** Counts one more socket for `address`; false, and nothing counted, when it is at the cap. */
  take(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (this.max > 0 && count >= this.max) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = this.counts.get(address) ?? 0;
    if (count <= 1) this.counts.delete(address);
    else this.counts.set(address, count - 1);
  }
}
