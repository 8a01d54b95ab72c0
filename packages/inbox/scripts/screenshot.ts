/**
 * Takes docs/inbox.png, the inbox as the README shows it: a real server with a few demo
 * conversations, an agent signed in with one open (or, with `list`, back on the list). Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshot.ts [out.png] [width] [height]
 * [light|dark] [conversation|list]` (needs Chromium). The phone pictures in docs/ are
 * `docs/inbox-phone-list.png 390 844 light list` and `docs/inbox-phone-conversation.png 390 844`.
 */
import { fileURLToPath } from "node:url";
import { login } from "../../../e2e/support/agent.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { addAgent, buildInbox, inboxIn, loginInInbox } from "../../../e2e/support/inbox.js";
import { connectVisitor } from "../../../e2e/support/inboxVisitor.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";
import { demoFace, uploadFace } from "./demoFaces.js";

const [outArg, widthArg, heightArg, schemeArg, viewArg] = process.argv.slice(2);
const output = outArg ?? fileURLToPath(new URL("../../../docs/inbox.png", import.meta.url));
const viewport = { width: Number(widthArg ?? 1280), height: Number(heightArg ?? 800) };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

buildInbox();
const parley = await startParley();
const browser = await launchChromium({ viewport });
try {
  const cookie = await login(parley.url);
  await fetch(`${parley.url}/agents/me`, {
    method: "PATCH",
    headers: { "content-type": "application/json", cookie, origin: parley.url },
    body: JSON.stringify({ name: "Ada" }),
  });
  await uploadFace(parley.url, cookie, await demoFace("#cfe3f7", "#f1c7a6", "#5b3a29"));
  const bea = { username: "bea", password: "bea's long password", name: "Bea" };
  await addAgent(parley.url, cookie, bea);
  await uploadFace(parley.url, await login(parley.url, bea), await demoFace("#f7e0c8", "#c68c64", "#1f1a17"));

  const visitors = await Promise.all(
    ["Tom", "Aiko", "Lena Fischer", "Vera Lindqvist"].map((name) => connectVisitor(parley.url, name)),
  );
  const [tom, aiko, lena, vera] = visitors;
  if (!tom || !aiko || !lena || !vera) throw new Error("visitors missing");
  tom.send("Do you ship to Norway?");
  await pause(300);
  aiko.send("Is the blue one back in stock?");
  await pause(300);
  lena.send("Thanks, that solved it!");
  await pause(300);
  vera.send("Hi! I ordered a lamp last week and it hasn't arrived yet.");

  const inbox = inboxIn(await browser.context.newPage());
  if (schemeArg === "dark") await inbox.page.emulateMedia({ colorScheme: "dark" });
  await loginInInbox(inbox.page, parley.url, OWNER);
  // The first-load banner offering sound and push is not what these pictures are about.
  await inbox.page
    .getByRole("region", { name: "Get notified" })
    .getByRole("button", { name: "Dismiss" })
    .click();
  // Nor is the first-run checklist (docs/inbox-checklist.png is, screenshotFirstRun.ts).
  await inbox.page.getByRole("button", { name: "Hide the checklist" }).click();
  await inbox.open("Vera Lindqvist");
  await inbox.reply("Hi Vera, sorry about that! Could you tell me your order number?");
  await pause(400);
  vera.send("Sure, it's #10482. <b>It said 2–3 days</b>");
  await pause(400);
  await inbox.reply(
    "Thanks! It left our warehouse yesterday; tracking:\nPX-2291-NO. It should be with you tomorrow.",
  );
  // The replies made the conversation Ada's (assign on reply, protocol §14).
  await pause(400);
  vera.typing(true);
  await inbox.page.getByText("The visitor is typing…").waitFor();
  if (viewArg === "list") {
    await inbox.page.getByRole("link", { name: "Back to the list" }).click();
    await inbox.row("Vera Lindqvist").locator(".preview", { hasText: "typing…" }).waitFor();
  }
  await inbox.page.screenshot({ path: output });
  console.log(`wrote ${output}`);
  for (const visitor of visitors) visitor.close();
} finally {
  await browser.close();
  await parley.close();
}
