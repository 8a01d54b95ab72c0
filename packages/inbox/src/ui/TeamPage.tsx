/** The team: everyone sees who is on it and their availability (live, §15); owners add agents, reset passwords and remove agents. */
import type { Agent, AgentRole } from "@parley/protocol";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { availabilityOf, AVAILABILITY_LABELS } from "../state/availability.js";
import { AvailabilityDot } from "./AvailabilitySwitch.js";
import { Avatar } from "./Avatar.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { useInbox, useStore } from "./useInbox.js";

export function TeamPage() {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const owner = me.role === "owner";
  return (
    <main class="page">
      <h1>Team</h1>
      <ul class="team">
        {agents.map((agent) => (
          <AgentRow key={agent.id} agent={agent} isMe={agent.id === me.id} canManage={owner} />
        ))}
      </ul>
      {owner ? <AddAgent /> : <p class="muted">Only an owner can add or remove agents.</p>}
    </main>
  );
}

function AgentRow({ agent, isMe, canManage }: { agent: Agent; isMe: boolean; canManage: boolean }) {
  const store = useStore();
  const [dialog, setDialog] = useState<"remove" | "password" | null>(null);
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
        <strong>{agent.name}</strong> {isMe && <span class="tag">You</span>}
        <div class="muted small">
          {agent.username} · {agent.role === "owner" ? "Owner" : "Agent"}
        </div>
        <div class="small agent-availability" data-availability={availabilityOf(agent)}>
          <AvailabilityDot availability={availabilityOf(agent)} />{" "}
          {AVAILABILITY_LABELS[availabilityOf(agent)]}
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
            Reset password
          </button>
          <button type="button" class="ghost danger-text" onClick={() => setDialog("remove")}>
            Remove
          </button>
        </div>
      )}
      {dialog === "remove" && (
        <ConfirmDialog
          title={`Remove ${agent.name}?`}
          confirmLabel="Remove"
          danger
          busy={busy}
          onCancel={close}
          onConfirm={() => void run(() => rest.removeAgent(agent.id), "")}
        >
          <p>They are signed out everywhere and can no longer log in.</p>
          {error !== null && <p class="error">{error}</p>}
        </ConfirmDialog>
      )}
      {dialog === "password" && (
        <ConfirmDialog
          title={`New password for ${agent.name}`}
          confirmLabel="Set password"
          busy={busy || password.length === 0}
          onCancel={close}
          onConfirm={() =>
            void run(
              () => rest.resetPassword(agent.id, password),
              "Password changed; their sessions were ended.",
            )
          }
        >
          <label>
            New password
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
      setAdded(`${agent.name} can now log in as ${agent.username}.`);
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
      <h2 id="add-agent">Add an agent</h2>
      <label>
        Username
        <input
          name="username"
          required
          value={form.username}
          onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
        />
      </label>
      <label>
        Name <span class="muted">(optional)</span>
        <input
          name="name"
          value={form.name}
          onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
        />
      </label>
      <label>
        Password
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
        Role
        <select
          name="role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.currentTarget.value as AgentRole })}
        >
          <option value="agent">Agent</option>
          <option value="owner">Owner (manages the team)</option>
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
        Add agent
      </button>
    </form>
  );
}
