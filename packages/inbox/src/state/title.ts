/** The tab title: the unread count first, so it shows in a narrow tab strip. */
export const APP_TITLE = "Parley inbox";

/** `mentioned`: a note mentions the agent in a conversation they have not looked at since (§15). */
export function tabTitle(unread: number, mentioned = false, appTitle = APP_TITLE): string {
  const title = mentioned ? `@ ${appTitle}` : appTitle;
  if (unread <= 0) return title;
  return `(${unread > 99 ? "99+" : unread}) ${title}`;
}
