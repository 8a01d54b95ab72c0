/**
 * The figures per day as uPlot charts: conversations and messages, and the first response's
 * median in minutes. The canvas is hidden from screen readers; the same numbers are in the
 * table under the charts. Colours come from the page's CSS, so the charts follow the theme:
 * they are drawn again when the colour scheme changes, and resized with their box.
 */
import type { ReportDay } from "@parley/protocol";
import { useEffect, useMemo, useRef } from "preact/hooks";
import uPlot from "uplot";
import { useReportsT } from "../../i18n/reports/index.js";
import { formatNumber, humanDuration, shortDay } from "../../state/reports.js";

const HEIGHT = 220;

interface Line {
  label: string;
  /** A CSS variable of reports.css: the line's colour in both themes. */
  color: string;
  values: (number | null)[];
}

export function DayCharts(props: { days: ReportDay[]; locale: string }) {
  const t = useReportsT();
  const { days, locale } = props;
  const number = (value: number | null): string => formatNumber(value, locale);
  // Kept while the days and words stay, so a chart is not drawn again at every render.
  const volume = useMemo<Line[]>(
    () => [
      { label: t.reportsConversations, color: "--chart-1", values: days.map((day) => day.conversations) },
      {
        label: t.reportsVisitorMessages,
        color: "--chart-2",
        values: days.map((day) => day.visitor_messages),
      },
      { label: t.reportsAgentMessages, color: "--chart-3", values: days.map((day) => day.agent_messages) },
    ],
    [days, t],
  );
  const response = useMemo<Line[]>(
    () => [
      {
        label: t.reportsFirstResponse,
        color: "--chart-1",
        values: days.map((day) =>
          day.first_response.median_seconds === null
            ? null
            : Math.round(day.first_response.median_seconds / 6) / 10,
        ),
      },
    ],
    [days, t],
  );
  return (
    <>
      <div class="reports-charts">
        <Chart name="volume" title={t.reportsPerDay} days={days} lines={volume} locale={locale} />
        <Chart
          name="first-response"
          title={t.reportsFirstResponsePerDay}
          days={days}
          lines={response}
          locale={locale}
        />
      </div>
      <details class="reports-day-numbers">
        <summary>{t.reportsDayNumbers}</summary>
        <table class="reports-table">
          <thead>
            <tr>
              <th scope="col">{t.reportsDay}</th>
              <th scope="col">{t.reportsConversations}</th>
              <th scope="col">{t.reportsVisitorMessages}</th>
              <th scope="col">{t.reportsAgentMessages}</th>
              <th scope="col">{t.reportsFirstResponse}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <th scope="row" data-label={t.reportsDay}>
                  <time dateTime={day.date}>{shortDay(day.date, locale)}</time>
                </th>
                <td data-label={t.reportsConversations}>{number(day.conversations)}</td>
                <td data-label={t.reportsVisitorMessages}>{number(day.visitor_messages)}</td>
                <td data-label={t.reportsAgentMessages}>{number(day.agent_messages)}</td>
                <td data-label={t.reportsFirstResponse}>
                  {humanDuration(day.first_response.median_seconds, t)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

function Chart(props: { name: string; title: string; days: ReportDay[]; lines: Line[]; locale: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const { days, lines, locale } = props;

  useEffect(() => {
    const box = holder.current;
    if (box === null) return;
    let plot: uPlot | null = null;
    const width = (): number => Math.max(200, Math.floor(box.clientWidth));
    const draw = (): void => {
      plot?.destroy();
      const style = getComputedStyle(box);
      const color = (name: string): string => style.getPropertyValue(name).trim() || "currentColor";
      const axis: uPlot.Axis = {
        stroke: color("--chart-axis"),
        grid: { stroke: color("--chart-grid"), width: 1 },
        ticks: { stroke: color("--chart-grid"), width: 1 },
      };
      plot = new uPlot(
        {
          width: width(),
          height: HEIGHT,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          // Days by their index: local days have no time, and the axis writes them in words.
          scales: { x: { time: false } },
          axes: [
            {
              ...axis,
              incrs: [1, 2, 7, 14, 28, 56, 91],
              values: (_plot, splits) =>
                splits.map((split) => {
                  const day = Number.isInteger(split) ? days[split] : undefined;
                  return day === undefined ? "" : shortDay(day.date, locale);
                }),
            },
            axis,
          ],
          series: [
            {},
            ...lines.map((line) => ({
              label: line.label,
              stroke: color(line.color),
              width: 2,
              points: { show: days.length <= 31 },
            })),
          ],
        },
        [days.map((_day, index) => index), ...lines.map((line) => line.values)],
        box,
      );
    };
    draw();
    const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: HEIGHT }));
    resize.observe(box);
    const scheme = matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", draw);
    return () => {
      resize.disconnect();
      scheme.removeEventListener("change", draw);
      plot?.destroy();
    };
  }, [days, lines, locale]);

  return (
    <figure class="card reports-chart" data-chart={props.name}>
      <figcaption>{props.title}</figcaption>
      <ul class="chart-legend">
        {lines.map((line) => (
          <li key={line.label}>
            <i aria-hidden="true" style={{ background: `var(${line.color})` }} />
            {line.label}
          </li>
        ))}
      </ul>
      <div class="chart-canvas" ref={holder} aria-hidden="true" />
    </figure>
  );
}
