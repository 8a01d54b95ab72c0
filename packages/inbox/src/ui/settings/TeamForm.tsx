/**
 * Who answers the site: every agent, or the ones chosen. Owners answer every site whatever is
 * chosen here, so they are named, not offered.
 */
import { useT } from "../../i18n/index.js";
import type { Site } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { useInbox } from "../useInbox.js";
import { SaveOutcome, useSave } from "./useSave.js";
import { useSiteUpdate } from "./useSiteUpdate.js";

export function TeamForm({ site }: { site: Site }) {
  const update = useSiteUpdate(site);
  const everyone = useInbox((state) => state.agents);
  const agents = everyone.filter((agent) => agent.role !== "owner");
  const owners = everyone.filter((agent) => agent.role === "owner");
  const [all, setAll] = useState(site.agent_ids === null);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(site.agent_ids ?? []));
  const save = useSave();
  const t = useT();

  const toggle = (id: number, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    // Only agents still on the team: one removed since the page loaded would be refused.
    const ids = agents.filter((agent) => chosen.has(agent.id)).map((agent) => agent.id);
    void save.run(() => update({ agent_ids: all ? null : ids }));
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="team-title">
      <h3 id="team-title">{t.navTeam}</h3>
      <fieldset class="choices">
        <legend>{t.whoAnswers}</legend>
        <label class="switch">
          <input type="radio" name="team" checked={all} onChange={() => setAll(true)} />
          {t.everyAgent}
        </label>
        <label class="switch">
          <input type="radio" name="team" checked={!all} onChange={() => setAll(false)} />
          {t.onlyChosen}
        </label>
      </fieldset>
      {!all && (
        <fieldset class="choices">
          <legend>{t.agents}</legend>
          {agents.length === 0 && <p class="muted small">{t.noAgentsYet}</p>}
          {agents.map((agent) => (
            <label class="switch" key={agent.id}>
              <input
                type="checkbox"
                name="agent"
                value={agent.id}
                checked={chosen.has(agent.id)}
                onChange={(event) => toggle(agent.id, event.currentTarget.checked)}
              />
              {agent.name} <span class="muted">({agent.username})</span>
            </label>
          ))}
        </fieldset>
      )}
      <p class="muted small">
        Owners answer every site: {owners.map((owner) => owner.name).join(", ") || "none"}.
      </p>
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveTeam}
      </button>
    </form>
  );
}
