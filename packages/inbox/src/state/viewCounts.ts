/** View counts (§15): how many open or pending conversations each assignee view holds. */
import type { ViewCounts } from "@parley/protocol";
import type { AssigneeView } from "./filters.js";

/** The count the view's tab shows, or null before the server said. */
export function countOf(counts: ViewCounts | null, view: AssigneeView): number | null {
  return counts === null ? null : counts[view];
}

/** "99+" past 99, so a tab never grows wide. */
export function countText(count: number): string {
  return count > 99 ? "99+" : String(count);
}

/** The newer counts, keeping the same object when nothing changed (no re-render). */
export function applyCounts(current: ViewCounts | null, next: ViewCounts): ViewCounts {
  if (
    current !== null &&
    current.mine === next.mine &&
    current.unassigned === next.unassigned &&
    current.all === next.all
  )
    return current;
  return { mine: next.mine, unassigned: next.unassigned, all: next.all };
}
