/**
 * The store contract as tests, run against every engine: each engine's test file passes a
 * factory that opens a fresh, migrated store.
 */
import { accountTests } from "./accounts.js";
import { attachmentTests } from "./attachments.js";
import { batchTests } from "./batches.js";
import { contactTests } from "./contacts.js";
import { conversationTests } from "./conversations.js";
import type { StoreFactory } from "./harness.js";
import { jobTests } from "./jobs.js";
import { lifecycleTests } from "./lifecycle.js";
import { listConversationTests } from "./listConversations.js";
import { messageTests } from "./messages.js";
import { pushTests } from "./push.js";
import { ratingTests } from "./ratings.js";
import { siteTests } from "./sites.js";
import { teamWorkTests } from "./teamWork.js";
import { webhookOutboxTests } from "./webhookOutbox.js";

export type { StoreFactory } from "./harness.js";

export function storeSuite(fresh: StoreFactory, engine: "sqlite" | "postgres"): void {
  lifecycleTests(fresh, engine);
  conversationTests(fresh);
  messageTests(fresh);
  batchTests(fresh);
  listConversationTests(fresh);
  accountTests(fresh);
  attachmentTests(fresh);
  pushTests(fresh);
  jobTests(fresh);
  siteTests(fresh);
  contactTests(fresh);
  teamWorkTests(fresh);
  ratingTests(fresh);
  webhookOutboxTests(fresh);
}
