/**
 * The inbox's first-run checklist (protocol §14 `GET /onboarding`): what it cannot see from
 * where it is. Three cheap reads: an EXISTS each, and the agents' count.
 *
 * `widget_installed`: a visitor's page was seen on an origin that is not the server's own (the
 * one the inbox is served from, and AGENT_ORIGINS): the widget runs on a site, not only on the
 * demo page or the inbox's preview. Page views are what the widget reports on every page
 * (protocol §12); conversations carry no page of their own, and a conversation started on a site
 * comes with that site's page views.
 */
import type { OnboardingResponse } from "@parley/protocol";
import type { Store } from "../store/store.js";

export async function onboardingState(
  store: Pick<Store, "hasPageViewOutside" | "hasConversation" | "countAgents">,
  ownOrigins: readonly string[],
): Promise<OnboardingResponse> {
  const [widgetInstalled, hasConversation, teamSize] = await Promise.all([
    store.hasPageViewOutside(ownOrigins),
    store.hasConversation(),
    store.countAgents(),
  ]);
  return { widget_installed: widgetInstalled, has_conversation: hasConversation, team_size: teamSize };
}
