/**
 * The Reports page's English words (§18): the source of its keys. They travel with the page's
 * chunk, not in the main bundle; French and Japanese are typed against them.
 */
import type { Widen } from "../en.js";

export const reportsEn = {
  reportsYourFigures: "Your figures",
  reportsIntro:
    "How the team is doing over a period: conversations, replies, resolutions and what visitors thought.",
  reportsAgentIntro: "Your own conversations, replies and ratings over a period.",
  reportsFilters: "What the report covers",
  reportsPeriod: "Period",
  reportsLast: (days: number) => `Last ${days} days`,
  reportsCustom: "Custom dates",
  reportsSince: "From",
  reportsUntil: "To",
  reportsTimeZone: "Time zone",
  reportsSite: "Site",
  reportsAllSites: "All sites",
  reportsAgent: "Agent",
  reportsAllAgents: "All agents",
  reportsBadDates: "Choose both days.",
  reportsSinceAfterUntil: "The first day is after the last.",
  reportsTooLong: (days: number) => `A report covers at most ${days} days.`,
  reportsEmpty: "No conversations in this period.",
  reportsEmptyHint: "Choose a longer period, or another site or agent.",
  reportsTotals: "Totals",
  reportsConversations: "Conversations",
  reportsMessages: "Messages",
  reportsMessagesSplit: (visitors: string, agents: string) =>
    `${visitors} from visitors, ${agents} from agents`,
  reportsVisitorMessages: "Visitor messages",
  reportsAgentMessages: "Agent messages",
  reportsResolved: "Resolved",
  reportsFirstResponse: "First response",
  reportsResolution: "Time to resolve",
  reportsMedianLabel: "Median",
  reportsP90: (duration: string) => `90% within ${duration}`,
  // The count picks singular or plural, and is shown as the locale writes numbers ("1,234").
  reportsOver: (count: number) =>
    count === 1
      ? `over ${count.toLocaleString("en")} conversation`
      : `over ${count.toLocaleString("en")} conversations`,
  reportsUnanswered: "Unanswered",
  reportsUnansweredHint: "no agent reply yet",
  reportsSatisfaction: "Satisfaction",
  reportsAverage: (average: string) => `${average} / 5 on average`,
  reportsSatisfied: (percent: string) => `${percent}% satisfied`,
  reportsRatingsCount: (count: number) =>
    count === 1 ? `${count.toLocaleString("en")} rating` : `${count.toLocaleString("en")} ratings`,
  reportsNoRatings: "No ratings yet",
  reportsByDay: "Day by day",
  reportsPerDay: "Conversations and messages per day",
  reportsFirstResponsePerDay: "First response per day (median, minutes)",
  reportsDayNumbers: "The numbers per day",
  reportsDay: "Day",
  reportsChartsFailed: "The charts could not be drawn; the numbers are in the tables.",
  reportsBusiestHours: "Busiest hours",
  reportsBusiestHoursIntro:
    "Conversations started, by weekday and hour, in the chosen time zone. Darker is busier.",
  reportsHour: "Hour",
  reportsHeatCell: (day: string, hour: string, count: string) => `${day} ${hour}: ${count} conversations`,
  reportsRatings: "Ratings",
  reportsScore: (score: number) => `${score} of 5`,
  reportsScoreCount: (score: number, count: string) => `${score} of 5: ${count} ratings`,
  reportsPerSite: "Per site",
  reportsPerAgent: "Per agent",
  reportsName: "Name",
  reportsDownloadDays: "Download CSV: days",
  reportsDownloadSites: "Download CSV: sites",
  reportsDownloadAgents: "Download CSV: agents",
  durationDays: (count: number) => `${count} d`,
  durationHours: (count: number) => `${count} h`,
  durationMinutes: (count: number) => `${count} min`,
  durationSeconds: (count: number) => `${count} s`,
  durationGap: " ",
};

/** Every key of the Reports page with the shape of its value: what fr.ts and ja.ts must provide. */
export type ReportsMessages = { readonly [K in keyof typeof reportsEn]: Widen<(typeof reportsEn)[K]> };
