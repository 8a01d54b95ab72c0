/**
 * The agents: who may log in, with which role. Owners manage the team; every agent manages
 * themselves. Removing an agent or changing a password revokes their sessions (sessions.ts).
 * Adding, renaming and removing an agent is told to `hooks.changed` (the widgets' team faces
 * follow); a removed agent's photo is handed to `hooks.removed` (deleted with them).
 */
import { randomBytes } from "node:crypto";
import type { Agent, AgentRole } from "@parley/protocol";
import { UniqueViolationError } from "../store/errors.js";
import type { StoredAgent, Store } from "../store/store.js";
import type { Availability } from "./availability.js";
import { avatarUrl } from "./avatars.js";
import { ChatError, invalid, notFound } from "./errors.js";
import {
  decoyHash,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
} from "./passwords.js";
import { plainName } from "./validate.js";

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** `availability`: what others see of the agent now (availability.ts, protocol §15). */
export function toWireAgent(agent: StoredAgent, availability: Pick<Availability, "of">): Agent {
  return {
    id: agent.id,
    username: agent.username,
    name: agent.name,
    role: agent.role,
    created_at: agent.createdAt,
    avatar_url: avatarUrl(agent.avatarFile),
    availability: availability.of(agent),
    chosen_availability: agent.chosenAvailability,
  };
}

export function checkUsername(value: unknown): string {
  if (typeof value !== "string" || !USERNAME.test(value)) {
    throw invalid("username must be 1-64 letters, digits or _ . @ -");
  }
  return value;
}

export function checkPassword(value: unknown): string {
  if (typeof value !== "string" || value.length < MIN_PASSWORD_LENGTH || value.length > MAX_PASSWORD_LENGTH) {
    throw invalid(`password must be ${MIN_PASSWORD_LENGTH}-${MAX_PASSWORD_LENGTH} characters`);
  }
  return value;
}

/** A display name, on one line and without invisible formatting (validate.plainName). */
function checkName(value: unknown): string {
  const name = typeof value === "string" ? plainName(value) : "";
  if (name === "" || name.length > 64) throw invalid("name must be 1-64 characters");
  return name;
}

function checkRole(value: unknown): AgentRole {
  if (value === undefined) return "agent";
  if (value !== "owner" && value !== "agent") throw invalid('role must be "owner" or "agent"');
  return value;
}

export class Team {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    /** Called with an agent's id when their sessions must end (removed, password changed). */
    private readonly revokeSessions: (agentId: number) => Promise<void>,
    private readonly hooks: {
      /** Someone joined, left or was renamed. */
      changed?: () => Promise<void>;
      /** An agent was removed: what was theirs alone (their photo) goes. */
      removed?: (agent: StoredAgent) => Promise<void>;
    } = {},
  ) {}

  async add(input: {
    username: unknown;
    password: unknown;
    name?: unknown;
    role?: unknown;
  }): Promise<StoredAgent> {
    const username = checkUsername(input.username);
    const password = checkPassword(input.password);
    const name = input.name === undefined ? username : checkName(input.name);
    const role = checkRole(input.role);
    const taken = (): ChatError => new ChatError("conflict", `An agent named ${username} already exists`);
    if ((await this.store.findAgentByUsername(username)) !== undefined) throw taken();
    try {
      const agent = await this.store.createAgent({
        username,
        name,
        role,
        passwordHash: await hashPassword(password),
        at: this.now().toISOString(),
      });
      await this.hooks.changed?.();
      return agent;
    } catch (error) {
      // Two requests (or two nodes booting) for one username at once: the constraint decides.
      if (error instanceof UniqueViolationError) throw taken();
      throw error;
    }
  }

  list(): Promise<StoredAgent[]> {
    return this.store.listAgents();
  }

  async get(id: number): Promise<StoredAgent> {
    const agent = await this.store.getAgent(id);
    if (agent === undefined) throw notFound("Agent");
    return agent;
  }

  findByUsername(username: string): Promise<StoredAgent | undefined> {
    return this.store.findAgentByUsername(username);
  }

  /** The agent when the password is right; null otherwise (same work either way). */
  async verifyLogin(username: unknown, password: unknown): Promise<StoredAgent | null> {
    if (
      typeof username !== "string" ||
      typeof password !== "string" ||
      password.length > MAX_PASSWORD_LENGTH
    ) {
      return null;
    }
    const agent = await this.store.findAgentByUsername(username);
    const ok = await verifyPassword(agent?.passwordHash ?? (await decoyHash()), password);
    return ok && agent !== undefined ? agent : null;
  }

  /** Removes the agent and answers who they were (the audit log keeps their name). */
  async remove(id: number): Promise<StoredAgent> {
    const agent = await this.get(id);
    if (agent.role === "owner" && (await this.owners()).length === 1) {
      throw new ChatError("conflict", "The last owner cannot be removed");
    }
    await this.revokeSessions(id);
    await this.store.deleteAgent(id);
    await this.hooks.removed?.(agent);
    await this.hooks.changed?.();
    return agent;
  }

  async setPassword(id: number, password: unknown): Promise<void> {
    const checked = checkPassword(password);
    await this.get(id);
    await this.store.updateAgent(id, { passwordHash: await hashPassword(checked) });
    await this.revokeSessions(id);
  }

  async rename(id: number, name: unknown): Promise<StoredAgent> {
    const updated = await this.store.updateAgent(id, { name: checkName(name) });
    if (updated === undefined) throw notFound("Agent");
    await this.hooks.changed?.();
    return updated;
  }

  /**
   * At first boot with no agent, creates the owner from ADMIN_USER/ADMIN_PASSWORD, or "admin"
   * with a generated password that is returned so it can be printed once.
   */
  async ensureFirstOwner(
    username: string | undefined,
    password: string | undefined,
  ): Promise<{ username: string; generatedPassword: string | undefined } | undefined> {
    if ((await this.store.countAgents()) > 0) return undefined;
    const generatedPassword = password === undefined ? randomBytes(12).toString("base64url") : undefined;
    const name = username ?? "admin";
    try {
      await this.add({ username: name, password: password ?? generatedPassword, role: "owner" });
    } catch (error) {
      // Two nodes booting at once: the other one created it.
      if (error instanceof ChatError && error.code === "conflict") return undefined;
      throw error;
    }
    return { username: name, generatedPassword };
  }

  private async owners(): Promise<StoredAgent[]> {
    return (await this.store.listAgents()).filter((agent) => agent.role === "owner");
  }
}
