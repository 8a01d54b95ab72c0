/**
 * Who answers and when (protocol §14): the team's names as the header says them, an agent's
 * initial when they have no photo, and the site's typical reply time in words.
 */
import { fill, type Locale, type Strings } from "./i18n.js";

/** Upper bounds, in seconds, of "a few minutes", "under an hour" and "a few hours"; then "a day". */
const BUCKETS = [5 * 60, 60 * 60, 6 * 60 * 60];

/** "Typically replies in a few minutes"; "" when the server has no figure yet (null). */
export function replyLine(seconds: number | null | undefined, strings: Strings): string {
  if (typeof seconds !== "number") return "";
  const bucket = BUCKETS.findIndex((most) => seconds <= most);
  return fill(strings.replies, { t: strings.within.split("|").at(bucket)! });
}

/** "Anna", "Anna and Ben", "Anna, Ben and Carl", then "Anna, Ben and 3 others", in the locale's words. */
export function teamNames(names: string[], strings: Strings, locale: Locale): string {
  const shown =
    names.length > 3 ? [...names.slice(0, 2), fill(strings.others, { n: names.length - 2 })] : names;
  return new Intl.ListFormat(locale).format(shown);
}

/** The first letter of a name, for a face without a photo ("?" for a blank name). */
export function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? "?";
}
