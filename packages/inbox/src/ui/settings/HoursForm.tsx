/**
 * When the site's team is there: no hours at all (whenever an agent is online), or a time zone,
 * opening intervals per weekday and closed days. Times are the site's wall-clock times; a
 * closing time of midnight means the day's end (the wire's "24:00").
 */
import { useT } from "../../i18n/index.js";
import {
  WEEKDAYS,
  type BusinessHours,
  type OpeningInterval,
  type Site,
  type Weekday,
} from "@parley/protocol";
import type { JSX } from "preact";
import { useMemo, useState } from "preact/hooks";
import {
  browserTimeZone,
  closeForField,
  closeFromField,
  dayProblem,
  normalizedHours,
  startingHours,
  timeZoneChoices,
  weekdayName,
} from "../../state/businessHours.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { useSiteUpdate } from "./useSiteUpdate.js";

export function HoursForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const browserZone = useMemo(browserTimeZone, []);
  const [enabled, setEnabled] = useState(site.business_hours !== null);
  const [hours, setHours] = useState<BusinessHours>(() => site.business_hours ?? startingHours(browserZone));
  const [newDay, setNewDay] = useState("");
  const save = useSave();
  const t = useT();
  const zones = useMemo(() => timeZoneChoices(hours.time_zone), [hours.time_zone]);

  const setDay = (day: Weekday, intervals: OpeningInterval[]): void =>
    setHours((current) => ({ ...current, weekly: { ...current.weekly, [day]: intervals } }));
  const problems = WEEKDAYS.map((day) => dayProblem(hours.weekly[day] ?? []));

  const addClosedDay = (): void => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newDay)) {
      save.refuse(t.pickCloseDate);
      return;
    }
    setHours((current) => normalizedHours({ ...current, closed_days: [...current.closed_days, newDay] }));
    setNewDay("");
  };

  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (enabled && problems.some((problem) => problem !== null)) {
      save.refuse(t.hoursNeedFixing);
      return;
    }
    void save.run(() => update({ business_hours: enabled ? normalizedHours(hours) : null }));
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="hours-title">
      <h3 id="hours-title">{t.businessHours}</h3>
      <fieldset class="choices">
        <legend>{t.whenTeamThere}</legend>
        <label class="switch">
          <input type="radio" name="hours" checked={!enabled} onChange={() => setEnabled(false)} />
          {t.noBusinessHours}
        </label>
        <label class="switch">
          <input type="radio" name="hours" checked={enabled} onChange={() => setEnabled(true)} />
          {t.setBusinessHours}
        </label>
      </fieldset>
      {enabled && (
        <>
          <label>
            {t.timeZone}
            <select
              name="time_zone"
              value={hours.time_zone}
              aria-describedby="zone-hint"
              onChange={(event) => setHours({ ...hours, time_zone: event.currentTarget.value })}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </select>
          </label>
          <p class="muted small" id="zone-hint">
            {hours.time_zone === browserZone ? (
              t.browserZone
            ) : (
              <>
                {t.browserIsIn(browserZone.replaceAll("_", " "))}{" "}
                <button
                  type="button"
                  class="link"
                  onClick={() => setHours({ ...hours, time_zone: browserZone })}
                >
                  {t.useIt}
                </button>
              </>
            )}
          </p>
          <fieldset class="week">
            <legend>{t.weeklyHours}</legend>
            <p class="muted small">{t.midnightHint}</p>
            {WEEKDAYS.map((day, index) => (
              <DayHours
                key={day}
                day={day}
                intervals={hours.weekly[day] ?? []}
                problem={problems[index] ?? null}
                onChange={(intervals) => setDay(day, intervals)}
              />
            ))}
          </fieldset>
          <fieldset class="closed-days">
            <legend>{t.closedDays}</legend>
            {hours.closed_days.length === 0 ? (
              <p class="muted small">{t.noClosedDays}</p>
            ) : (
              <ul class="plain">
                {hours.closed_days.map((date) => (
                  <li key={date}>
                    <time dateTime={date}>{date}</time>{" "}
                    <button
                      type="button"
                      class="ghost small-button"
                      onClick={() =>
                        setHours({ ...hours, closed_days: hours.closed_days.filter((d) => d !== date) })
                      }
                    >
                      {t.remove}
                      <span class="sr"> {date}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div class="inline-add">
              <label>
                {t.date}
                <input
                  type="date"
                  name="closed_day"
                  value={newDay}
                  onInput={(e) => setNewDay(e.currentTarget.value)}
                />
              </label>
              <button type="button" class="ghost" onClick={addClosedDay}>
                {t.addClosedDay}
              </button>
            </div>
          </fieldset>
        </>
      )}
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveHours}
      </button>
    </form>
  );
}

function DayHours(props: {
  day: Weekday;
  intervals: OpeningInterval[];
  problem: string | null;
  onChange: (intervals: OpeningInterval[]) => void;
}) {
  const { day, intervals, onChange } = props;
  const t = useT();
  const name = weekdayName(day);
  const labelId = `day-${day}`;
  const problemId = `day-${day}-problem`;
  const change = (at: number, patch: Partial<OpeningInterval>): void =>
    onChange(intervals.map((interval, index) => (index === at ? { ...interval, ...patch } : interval)));
  const last = intervals[intervals.length - 1];
  // A second interval starts where the day's last one ends (an afternoon after a lunch break).
  const add = (): void =>
    onChange([
      ...intervals,
      last === undefined || last.close >= "24:00"
        ? { open: "09:00", close: "17:00" }
        : { open: last.close, close: "24:00" },
    ]);
  return (
    <div class="day" role="group" aria-labelledby={labelId} data-day={day}>
      <span class="day-name" id={labelId}>
        {name}
      </span>
      <div class="intervals">
        {intervals.length === 0 && <span class="muted">{t.closed}</span>}
        {intervals.map((interval, index) => {
          const which = intervals.length > 1 ? ` (${index + 1})` : "";
          return (
            <span class="interval" key={index}>
              <label>
                <span class="sr">{t.dayOpens(name, which)}</span>
                <input
                  type="time"
                  required
                  value={interval.open}
                  aria-invalid={props.problem !== null}
                  aria-describedby={props.problem !== null ? problemId : undefined}
                  onInput={(event) => change(index, { open: event.currentTarget.value })}
                />
              </label>
              <span aria-hidden="true">–</span>
              <label>
                <span class="sr">{t.dayCloses(name, which)}</span>
                <input
                  type="time"
                  required
                  value={closeForField(interval.close)}
                  aria-invalid={props.problem !== null}
                  aria-describedby={props.problem !== null ? problemId : undefined}
                  onInput={(event) => change(index, { close: closeFromField(event.currentTarget.value) })}
                />
              </label>
              <button
                type="button"
                class="ghost small-button"
                onClick={() => onChange(intervals.filter((_, at) => at !== index))}
              >
                {t.remove}
                <span class="sr">
                  {" "}
                  {name} {interval.open}–{interval.close}
                </span>
              </button>
            </span>
          );
        })}
        <button type="button" class="ghost small-button" onClick={add}>
          {t.addHours}
          <span class="sr">{t.onDay(name)}</span>
        </button>
      </div>
      {props.problem !== null && (
        <p class="error small day-problem" id={problemId}>
          {props.problem}
        </p>
      )}
    </div>
  );
}
