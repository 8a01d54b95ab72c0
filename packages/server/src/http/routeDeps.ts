/** What route modules are given (explicitly, never through a global). */
import type { Chat } from "../chat/chat.js";
import type { EmailModule } from "../email/create.js";
import type { Resume } from "../email/resume.js";
import type { Transcripts } from "../email/transcripts.js";
import type { AssetPaths } from "../config.js";
import type { SignedUrls } from "../files/signedUrls.js";
import type { PushEndpointPolicy } from "../push/endpoints.js";
import type { Store } from "../store/store.js";
import type { WebhookAdmin } from "../webhooks/webhookAdmin.js";
import type { PrivacyRouteDeps } from "./routes/privacy.js";

export interface RouteDeps {
  chat: Chat;
  store: Store;
  startedAtMs: number;
  /** STORAGE_DIR: `/up` reports when it has no room left for writes. */
  storageDir: string;
  /** Web push: the VAPID public key browsers subscribe with, and which endpoints are accepted. */
  push: { publicKey: string; endpoints: PushEndpointPolicy };
  /** Attachments: the largest upload now (owner setting), where uploads wait while checked, and URL signing. */
  uploads: { maxBytes: () => number; tempDir: string; urls: SignedUrls };
  /** Files the server hands to browsers (widget bundle, demo page, inbox build). */
  assets: AssetPaths;
  /** Owners' webhooks (protocol §13); their routes exist only when given. */
  webhooks?: WebhookAdmin;
  /** (§16) Email: its routes answer 409 `Email is not configured` while it is off or absent. */
  email?: EmailModule;
  /**
   * (§16) Reopen links and transcripts (routes/emailConversations.ts); transcripts only while
   * email is sent. Absent: their routes answer 409 `Email is not configured`.
   */
  emailConversations?: { resume: Resume; transcripts: Transcripts | undefined };
  /** (§17) Owners' exports and erasures; their routes exist only when given. */
  privacy?: PrivacyRouteDeps;
  /** Prometheus exposition on the main port, present with METRICS_TOKEN (routes/metrics.ts). */
  metrics?: { token: string | undefined; render(): Promise<string>; contentType: string };
}
