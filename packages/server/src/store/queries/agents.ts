/** Agents: the people who answer, with their login. */
import type { Kysely, Updateable } from "kysely";
import { isUniqueViolation, UniqueViolationError } from "../errors.js";
import { readOncePerTurn } from "../lookupsPerTurn.js";
import { toAgent } from "../rows.js";
import type { AgentsTable, Database, Engine } from "../schema.js";
import type { Store } from "../store.js";

export type AgentQueries = Pick<
  Store,
  | "countAgents"
  | "createAgent"
  | "getAgent"
  | "findAgentByUsername"
  | "listAgents"
  | "updateAgent"
  | "deleteAgent"
>;

export function agentQueries(
  db: Kysely<Database>,
  engine: Engine,
  /** Told when an agent is removed: their push subscriptions went with them. */
  onAgentDeleted: () => void = () => {},
): AgentQueries {
  const readAgents = async () => {
    const rows = await db.selectFrom("agents").selectAll().orderBy("id", "asc").execute();
    return rows.map(toAgent);
  };
  // An identified visitor's first message checks its contact's name against the team's
  // (visitorNames.ts): on Postgres a round trip each through the pool, so the asks of one turn
  // share one read (lookupsPerTurn.ts). Each caller gets its own array to sort or filter.
  const agentsOfTurn = engine === "postgres" ? readOncePerTurn(readAgents) : undefined;

  return {
    async countAgents() {
      const row = await db
        .selectFrom("agents")
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Throws UniqueViolationError when the username is taken. */
    async createAgent(input) {
      try {
        const row = await db
          .insertInto("agents")
          .values({
            username: input.username,
            name: input.name,
            role: input.role,
            password_hash: input.passwordHash,
            created_at: input.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toAgent(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new UniqueViolationError("an agent with this username", { cause: error });
        throw error;
      }
    },

    async getAgent(id) {
      const row = await db.selectFrom("agents").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toAgent(row);
    },

    async findAgentByUsername(username) {
      const row = await db
        .selectFrom("agents")
        .selectAll()
        .where("username", "=", username)
        .executeTakeFirst();
      return row && toAgent(row);
    },

    async listAgents() {
      return agentsOfTurn === undefined ? readAgents() : [...(await agentsOfTurn())];
    },

    async updateAgent(id, patch) {
      const columns: Updateable<AgentsTable> = {};
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.passwordHash !== undefined) columns.password_hash = patch.passwordHash;
      if (patch.role !== undefined) columns.role = patch.role;
      if (patch.avatarFile !== undefined) columns.avatar_file = patch.avatarFile;
      if (Object.keys(columns).length === 0) {
        const row = await db.selectFrom("agents").selectAll().where("id", "=", id).executeTakeFirst();
        return row && toAgent(row);
      }
      const row = await db
        .updateTable("agents")
        .set(columns)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && toAgent(row);
    },

    // Sessions and push subscriptions go by ON DELETE CASCADE; messages keep their agent_name and
    // conversations lose their assignee (ON DELETE SET NULL).
    async deleteAgent(id) {
      const result = await db.deleteFrom("agents").where("id", "=", id).executeTakeFirst();
      onAgentDeleted();
      return result.numDeletedRows > 0n;
    },
  };
}
