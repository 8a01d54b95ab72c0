/** The team: everyone sees who is on it and their availability (live, §15); owners add agents, reset passwords and remove agents. */
import { useT } from "../i18n/index.js";
import type { Agent, AgentRole } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { availabilityOf, AVAILABILITY_KEYS } from "../state/availability.js";
import { AvailabilityDot } from "./AvailabilitySwitch.js";
import { Avatar } from "./Avatar.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { useInbox, useStore } from "./useInbox.js";

export function TeamPage() {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const owner = me.role === "owner";
  const t = useT();
  return (
    <main class="page">
      <h1>{t.navTeam}</h1>
      <ul class="team">
        {agents.map((agent) => (
          <AgentRow key={agent.id} agent={agent} isMe={agent.id === me.id} canManage={owner} />
        ))}
      </ul>
      {owner ? <AddAgent /> : <p class="muted">{t.onlyOwnerAgents}</p>}
    </main>
  );
}

function AgentRow({ agent, isMe, canManage }: { agent: Agent; isMe: boolean; canManage: boolean }) {
  const store = useStore();
  const [dialog, setDialog] = useState<"remove" | "password" | null>(null);
  const t = useT();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<unknown>, success: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setDialog(null);
      setPassword("");
      setDone(success);
      await store.refreshAgents();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };
  const close = (): void => {
    setDialog(null);
    setError(null);
    setPassword("");
  };

  return (
    <li class="card agent" data-username={agent.username}>
      <Avatar name={agent.name} url={agent.avatar_url} size={40} />
      <div class="agent-about">
        <strong>{agent.name}</strong> {isMe && <span class="tag">{t.you}</span>}
        <div class="muted small">
          {agent.username} · {agent.role === "owner" ? t.roleOwner : t.roleAgent}
        </div>
        <div class="small agent-availability" data-availability={availabilityOf(agent)}>
          <AvailabilityDot availability={availabilityOf(agent)} />{" "}
          {t[AVAILABILITY_KEYS[availabilityOf(agent)]]}
        </div>
        {done !== null && (
          <div class="ok small" role="status">
            {done}
          </div>
        )}
      </div>
      {canManage && !isMe && (
        <div class="actions">
          <button type="button" class="ghost" onClick={() => setDialog("password")}>
            {t.resetPassword}
          </button>
          <button type="button" class="ghost danger-text" onClick={() => setDialog("remove")}>
            {t.remove}
          </button>
        </div>
      )}
      {dialog === "remove" && (
        <ConfirmDialog
          title={t.removeAgentTitle(agent.name)}
          confirmLabel={t.remove}
          danger
          busy={busy}
          onCancel={close}
          onConfirm={() => void run(() => rest.removeAgent(agent.id), "")}
        >
          <p>{t.removeAgentBody}</p>
          {error !== null && <p class="error">{error}</p>}
        </ConfirmDialog>
      )}
      {dialog === "password" && (
        <ConfirmDialog
          title={t.newPasswordFor(agent.name)}
          confirmLabel={t.setPassword}
          busy={busy || password.length === 0}
          onCancel={close}
          onConfirm={() => void run(() => rest.resetPassword(agent.id, password), t.passwordReset)}
        >
          <label>
            {t.newPassword}
            <input
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
          </label>
          {error !== null && <p class="error">{error}</p>}
        </ConfirmDialog>
      )}
    </li>
  );
}

function AddAgent() {
  const store = useStore();
  const [form, setForm] = useState({ username: "", name: "", password: "", role: "agent" as AgentRole });
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const t = useT();
  const [busy, setBusy] = useState(false);

  const submit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const name = form.name.trim();
      const { agent } = await rest.addAgent({
        username: form.username.trim(),
        password: form.password,
        role: form.role,
        ...(name === "" ? {} : { name }),
      });
      setAdded(t.agentAdded(agent.name, agent.username));
      setForm({ username: "", name: "", password: "", role: "agent" });
      await store.refreshAgents();
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={(event) => void submit(event)} aria-labelledby="add-agent">
      <h2 id="add-agent">{t.addAnAgent}</h2>
      <label>
        {t.username}
        <input
          name="username"
          required
          value={form.username}
          onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
        />
      </label>
      <label>
        {t.name} <span class="muted">{t.optional}</span>
        <input
          name="name"
          value={form.name}
          onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
        />
      </label>
      <label>
        {t.password}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
        />
      </label>
      <label>
        {t.role}
        <select
          name="role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.currentTarget.value as AgentRole })}
        >
          <option value="agent">{t.roleAgent}</option>
          <option value="owner">{t.roleOwnerLong}</option>
        </select>
      </label>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {added !== null && (
        <p class="ok" role="status">
          {added}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t.addAgent}
      </button>
    </form>
  );
}
