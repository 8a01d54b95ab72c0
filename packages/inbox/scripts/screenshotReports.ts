/**
 * Takes docs/inbox-reports.png, the Reports page as the README shows it: a real server where a
 * few visitors write, the owner and an agent answer and resolve (everything happens today, so
 * the charts have one busy day). Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshotReports.ts [out.png] [light|dark]`
 * (needs Chromium).
 */
import { fileURLToPath } from "node:url";
import type { Conversation } from "@parley/protocol";
import { connectAgent, login, type Agent } from "../../../e2e/support/agent.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { addAgent, buildInbox, loginInInbox } from "../../../e2e/support/inbox.js";
import { connectVisitor, type StockVisitor } from "../../../e2e/support/inboxVisitor.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";
import { waitFor } from "../../../e2e/support/wait.js";

const [outArg, schemeArg] = process.argv.slice(2);
const output = outArg ?? fileURLToPath(new URL("../../../docs/inbox-reports.png", import.meta.url));
const BEA = { username: "bea", password: "bea's long password", name: "Bea Martin" };

/** Who writes, who answers (null: nobody yet) and whether it is resolved. */
const VISITORS: { name: string; answeredBy: "owner" | "bea" | null; resolved: boolean }[] = [
  { name: "Ana Costa", answeredBy: "owner", resolved: true },
  { name: "Ben Okafor", answeredBy: "bea", resolved: true },
  { name: "Chloé Petit", answeredBy: "bea", resolved: true },
  { name: "Dai Chen", answeredBy: "owner", resolved: false },
  { name: "Eva Novak", answeredBy: "bea", resolved: false },
  { name: "Finn Berg", answeredBy: null, resolved: false },
];

buildInbox();
const parley = await startParley();
const browser = await launchChromium({ viewport: { width: 1280, height: 1700 } });
const visitors: StockVisitor[] = [];
const agents: Agent[] = [];
try {
  const cookie = await login(parley.url);
  const bea = await addAgent(parley.url, cookie, BEA);
  const team = { owner: await connectAgent(parley.url), bea: await connectAgent(parley.url, BEA) };
  agents.push(team.owner, team.bea);
  const conversationOf = async (name: string): Promise<Conversation> =>
    waitFor(`${name}'s conversation`, async () => {
      const response = await fetch(`${parley.url}/conversations?q=${encodeURIComponent(name)}`, {
        headers: { cookie },
      });
      const { conversations } = (await response.json()) as { conversations: Conversation[] };
      return conversations.find((one) => one.visitor_name === name);
    });

  for (const { name, answeredBy, resolved } of VISITORS) {
    const visitor = await connectVisitor(parley.url, name);
    visitors.push(visitor);
    visitor.send(`Hello, ${name.split(" ")[0]} here with a question`);
    const conversation = await conversationOf(name);
    if (answeredBy === null) continue;
    if (answeredBy === "bea")
      team.owner.perform({ action: "assign", conversation_id: conversation.id, agent_id: bea.id });
    team[answeredBy].perform({
      action: "send_message",
      conversation_id: conversation.id,
      content: "Happy to help!",
    });
    await visitor.next("message", (event) => event.message.sender === "admin");
    visitor.send("Thanks, that answers it");
    if (!resolved) continue;
    team[answeredBy].perform({ action: "set_state", conversation_id: conversation.id, state: "resolved" });
  }

  const page = await browser.context.newPage();
  if (schemeArg === "dark") await page.emulateMedia({ colorScheme: "dark" });
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("region", { name: "Get notified" }).getByRole("button", { name: "Dismiss" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.locator('[data-chart="volume"] canvas').waitFor();
  await page.locator("main.reports").screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  for (const visitor of visitors) visitor.close();
  for (const agent of agents) agent.close();
  await browser.close();
  await parley.close();
}
