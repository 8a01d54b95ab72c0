/** The tab title: the unread count first, so it shows in a narrow tab strip. */
export const APP_TITLE = "Parley inbox";

export function tabTitle(unread: number): string {
  if (unread <= 0) return APP_TITLE;
  return `(${unread > 99 ? "99+" : unread}) ${APP_TITLE}`;
}
