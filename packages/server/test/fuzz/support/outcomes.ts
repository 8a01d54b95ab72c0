/**
 * How the cases were answered (2xx, 4xx, a cable that synced or was closed), counted so a run
 * can show that the cases got past the doors (authentication, validation) to the code behind
 * them, and a test can fail when they stop doing so.
 */
const counts = new Map<string, number>();

export function countOutcome(outcome: string): void {
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
}

export function outcomesSnapshot(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** What changed between two snapshots. */
export function outcomesSince(before: Record<string, number>): Record<string, number> {
  const since: Record<string, number> = {};
  for (const [outcome, count] of counts) {
    const added = count - (before[outcome] ?? 0);
    if (added > 0) since[outcome] = added;
  }
  return since;
}
