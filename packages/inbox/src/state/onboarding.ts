/**
 * The first-run checklist (§14): which steps there are for this agent and which are done, from
 * what the inbox knows (the agent's name and photo, notifications in this browser) and what
 * only the server knows (`GET /onboarding`). Owners get all five; an agent gets the two that are
 * theirs to do (putting the widget on a site and inviting teammates are an owner's).
 */
import type { Agent, OnboardingResponse } from "@parley/protocol";

export type ChecklistKey = "profile" | "notifications" | "widget" | "test_message" | "teammate";

export interface ChecklistItem {
  key: ChecklistKey;
  done: boolean;
}

export interface ChecklistInput {
  me: Pick<Agent, "username" | "name" | "avatar_url" | "role">;
  /** The chime or web push is on in this browser. */
  notificationsOn: boolean;
  /** null until the server has answered (or when it cannot): its steps are then not done. */
  onboarding: OnboardingResponse | null;
}

/** A name of one's own (not the username it started as) and a photo. */
export function profileDone(me: ChecklistInput["me"]): boolean {
  const name = me.name.trim();
  return name !== "" && name !== me.username && me.avatar_url !== null && me.avatar_url !== "";
}

export function checklistItems({ me, notificationsOn, onboarding }: ChecklistInput): ChecklistItem[] {
  const items: ChecklistItem[] = [
    { key: "profile", done: profileDone(me) },
    { key: "notifications", done: notificationsOn },
  ];
  if (me.role !== "owner") return items;
  return [
    ...items,
    { key: "widget", done: onboarding?.widget_installed ?? false },
    { key: "test_message", done: onboarding?.has_conversation ?? false },
    { key: "teammate", done: (onboarding?.team_size ?? 1) > 1 },
  ];
}

export interface ChecklistProgress {
  done: number;
  total: number;
  complete: boolean;
  /** "2 of 5 done" */
  label: string;
}

export function checklistProgress(items: readonly ChecklistItem[]): ChecklistProgress {
  const done = items.filter((item) => item.done).length;
  return {
    done,
    total: items.length,
    complete: done === items.length,
    label: `${done} of ${items.length} done`,
  };
}

/** Hiding the checklist is remembered per agent, in this browser. */
export function checklistHiddenKey(agentId: number): string {
  return `parley.inbox.checklistHidden.${agentId}`;
}
