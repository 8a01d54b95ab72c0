/**
 * How many browsers one agent may receive pushes on. Each browser that subscribes adds a row,
 * and one that is uninstalled or loses its profile never says so (only a later push's 404/410
 * does), so without a cap a script holding an agent's session could grow the table, and the
 * fan-out of every push, without bound. Past the cap the oldest subscription is replaced rather
 * than the new one refused: the browser in front of the agent is the one they mean to use.
 */
export const MAX_PUSH_SUBSCRIPTIONS_PER_AGENT = 10;
