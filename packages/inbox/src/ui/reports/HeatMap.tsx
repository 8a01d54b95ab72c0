/**
 * The busiest hours: conversations started by weekday (Monday first) and local hour, as a table
 * whose cells are shaded against the busiest hour. Each cell's number is in its title and in
 * text for screen readers, so the colour is never the only way to read it.
 */
import { useReportsT } from "../../i18n/reports/index.js";
import { busiestCount, formatNumber, heatLevel, weekdayNames } from "../../state/reports.js";

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** Hours labelled on screen; every hour is labelled for screen readers. */
const SHOWN_HOURS = new Set([0, 6, 12, 18]);

const hourText = (hour: number): string => `${String(hour).padStart(2, "0")}:00`;

export function HeatMap(props: { hours: number[][]; locale: string }) {
  const t = useReportsT();
  const long = weekdayNames(props.locale, "long");
  const short = weekdayNames(props.locale, "short");
  const busiest = busiestCount(props.hours);
  return (
    <section class="card reports-heat" aria-labelledby="reports-heat">
      <h2 id="reports-heat">{t.reportsBusiestHours}</h2>
      <p class="muted small">{t.reportsBusiestHoursIntro}</p>
      <table class="heat-map" aria-labelledby="reports-heat">
        <thead>
          <tr>
            <td />
            {HOURS.map((hour) => (
              <th key={hour} scope="col" abbr={hourText(hour)}>
                <span class={SHOWN_HOURS.has(hour) ? undefined : "sr"}>{hour}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {long.map((day, weekday) => (
            <tr key={weekday}>
              <th scope="row" abbr={day}>
                {short[weekday]}
              </th>
              {HOURS.map((hour) => {
                const count = props.hours[weekday]?.[hour] ?? 0;
                return (
                  <td
                    key={hour}
                    data-count={count}
                    title={t.reportsHeatCell(day, hourText(hour), formatNumber(count, props.locale))}
                    style={{ "--level": heatLevel(count, busiest) }}
                  >
                    <span class="sr">{formatNumber(count, props.locale)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
