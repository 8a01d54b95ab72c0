/**
 * The inbox's keyboard shortcuts (§15): which key does what, and where the list moves to. Keys
 * of letters only act outside text fields; Alt+arrows work everywhere.
 */
export type ShortcutCommand = "next" | "previous" | "resolve" | "assign" | "search" | "help";

/** Each shortcut's keys and the dictionary key of what it does. */
export const SHORTCUT_KEYS = [
  { keys: ["j", "Alt+↓"], does: "scNext" },
  { keys: ["k", "Alt+↑"], does: "scPrevious" },
  { keys: ["e"], does: "scResolve" },
  { keys: ["a"], does: "scAssign" },
  { keys: ["/"], does: "scSearch" },
  { keys: ["?"], does: "scHelp" },
  { keys: ["/"], does: "scCanned" },
  { keys: ["@"], does: "scMention" },
  { keys: ["Enter"], does: "scSend" },
  { keys: ["Shift+Enter"], does: "scNewLine" },
  { keys: ["Esc"], does: "scEscape" },
] as const;

export const SHORTCUTS: readonly { keys: string[]; does: string }[] = [
  { keys: ["j", "Alt+↓"], does: "Next conversation" },
  { keys: ["k", "Alt+↑"], does: "Previous conversation" },
  { keys: ["e"], does: "Resolve the open conversation" },
  { keys: ["a"], does: "Assign the open conversation to me" },
  { keys: ["/"], does: "Search conversations" },
  { keys: ["?"], does: "Show these shortcuts" },
  { keys: ["/"], does: "In a reply, at the start: canned replies" },
  { keys: ["@"], does: "In a note: mention an agent" },
  { keys: ["Enter"], does: "Send the reply or add the note" },
  { keys: ["Shift+Enter"], does: "New line" },
  { keys: ["Esc"], does: "Close a list, menu or dialog; in the reply box, leave it" },
];

export interface KeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The key was pressed in a text field (input, textarea, select, contenteditable). */
  inField: boolean;
}

export function commandFor(input: KeyInput): ShortcutCommand | null {
  if (input.ctrlKey || input.metaKey) return null;
  if (input.altKey) {
    if (input.key === "ArrowDown") return "next";
    if (input.key === "ArrowUp") return "previous";
    return null;
  }
  if (input.inField) return null;
  switch (input.key) {
    case "j":
      return "next";
    case "k":
      return "previous";
    case "e":
      return "resolve";
    case "a":
      return "assign";
    case "/":
      return "search";
    case "?":
      return "help";
    default:
      return null;
  }
}

/** The conversation to open next (`step` 1) or before (-1) in the list; the first when none is open. */
export function neighbour(ids: readonly number[], openId: number | null, step: 1 | -1): number | null {
  if (ids.length === 0) return null;
  const at = openId === null ? -1 : ids.indexOf(openId);
  if (at === -1) return step === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  const next = at + step;
  return next < 0 || next >= ids.length ? null : (ids[next] ?? null);
}
