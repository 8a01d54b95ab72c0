/**
 * Export and erasure end to end (protocol §17), run per database and per file store
 * (privacy.test.ts: SQLite, Postgres; s3.test.ts: S3).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Contact, EraseResponse } from "@parley/protocol";
import { agentSession } from "../files/harness.js";
import {
  everyRow,
  personWhoChatted,
  plainAgent,
  ratedByThem,
  privacyWorld,
  tracesOf,
  unzip,
  type Person,
  type PrivacyWorld,
} from "./harness.js";

export interface PrivacyBackend {
  env: Record<string, string>;
  /** Whether the file store holds the blob now. */
  blobExists(world: PrivacyWorld, key: string): Promise<boolean>;
  drop?: () => Promise<void>;
}

interface ExportedConversation {
  id: number;
  messages: Array<{ content: string; attachments?: Array<{ id: number; filename: string; path: string }> }>;
  notes: Array<{ content: string; internal: boolean }>;
  rating: { score: number; comment: string | null } | null;
}

export function privacySuite(
  name: string,
  backend: () => Promise<PrivacyBackend | undefined>,
  skip?: string,
): void {
  describe(`export and erasure (${name})`, { skip }, () => {
    let world: PrivacyWorld;
    let storage: PrivacyBackend;
    let ada: Person;
    let bob: Person;

    before(async () => {
      storage = (await backend())!;
      world = await privacyWorld(storage.env);
      ada = await personWhoChatted(world, "Ada");
      bob = await personWhoChatted(world, "Bob");
      await ratedByThem(world, ada);
      await ratedByThem(world, bob);
    });
    after(async () => {
      await world.dispose();
      await storage.drop?.();
    });

    it("exports a contact as one ZIP: contact.json with conversations, notes, context, and the files", async () => {
      const response = await world.call("GET", `/contacts/${ada.contactId}/export`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/zip");
      assert.match(
        response.headers.get("content-disposition") ?? "",
        new RegExp(`^attachment; filename="parley-contact-${ada.contactId}\\.zip"`),
      );
      const entries = await unzip(Buffer.from(await response.arrayBuffer()));
      const document = JSON.parse(entries.get("contact.json")!.toString("utf8")) as {
        contact: Contact;
        visitor_contexts: Array<{ pages: Array<{ url: string }> }>;
        conversations: ExportedConversation[];
      };
      assert.equal(document.contact.email, ada.email);
      assert.deepEqual(
        document.conversations.map((each) => each.id),
        [ada.conversationId],
      );
      const [conversation] = document.conversations;
      assert.deepEqual(
        conversation!.messages.map((message) => message.content),
        [`Ada says ${ada.marker}`, `Answer to ${ada.marker}`],
      );
      const [listed] = conversation!.messages[0]!.attachments!;
      assert.equal(listed!.id, ada.attachmentId);
      assert.equal(listed!.path, `files/${ada.attachmentId}-screen.png`);
      assert.deepEqual(conversation!.notes, [
        { ...conversation!.notes[0], content: `Note about ${ada.marker}`, internal: true },
      ]);
      assert.ok(
        document.visitor_contexts.some((context) =>
          context.pages.some((page) => page.url.endsWith(ada.marker)),
        ),
      );
      assert.deepEqual(entries.get(listed!.path), ada.picture);
      // (§18) Their rating of it too.
      assert.deepEqual(
        { score: conversation!.rating?.score, comment: conversation!.rating?.comment },
        { score: 4, comment: `Rated by ${ada.marker}` },
      );
      // Only Ada's: nothing of Bob in her archive.
      assert.ok(![...entries.values()].some((bytes) => bytes.toString("latin1").includes(bob.marker)));
      assert.deepEqual(
        world.audit.records.filter((record) => record.action === "contact.exported").map((r) => r.targetId),
        [ada.contactId],
      );
    });

    it("documents the exports as ZIP archives and the erasures' counts in the OpenAPI document", async () => {
      const document = (await (await fetch(`${world.server.url}/api/openapi.json`)).json()) as {
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
        >;
      };
      for (const path of ["/contacts/{id}/export", "/conversations/{id}/export"]) {
        assert.deepEqual(Object.keys(document.paths[path]!.get!.responses["200"]!.content!), [
          "application/zip",
        ]);
      }
      for (const path of ["/contacts/{id}/erase", "/conversations/{id}/erase"]) {
        assert.ok(document.paths[path]!.post!.responses["200"]!.content!["application/json"]);
      }
    });

    it("exports one conversation as conversation.json and its files", async () => {
      const response = await world.call("GET", `/conversations/${bob.conversationId}/export`);
      assert.equal(response.status, 200);
      const entries = await unzip(Buffer.from(await response.arrayBuffer()));
      assert.deepEqual([...entries.keys()].sort(), [
        "conversation.json",
        `files/${bob.attachmentId}-screen.png`,
      ]);
      const document = JSON.parse(entries.get("conversation.json")!.toString("utf8")) as {
        conversation: ExportedConversation;
      };
      assert.equal(document.conversation.id, bob.conversationId);
      assert.equal(document.conversation.rating?.comment, `Rated by ${bob.marker}`);
      assert.deepEqual(entries.get(`files/${bob.attachmentId}-screen.png`), bob.picture);
      assert.ok(
        world.audit.records.some(
          (r) => r.action === "conversation.exported" && r.targetId === bob.conversationId,
        ),
      );
    });

    it("refuses an agent who is not an owner (403) and an erasure without its confirmation (400)", async () => {
      const agentCookie = await plainAgent(world);
      for (const [method, path, body] of [
        ["GET", `/contacts/${ada.contactId}/export`, undefined],
        ["GET", `/conversations/${ada.conversationId}/export`, undefined],
        ["POST", `/contacts/${ada.contactId}/erase`, { confirm: "erase" }],
        ["POST", `/conversations/${ada.conversationId}/erase`, { confirm: "erase" }],
      ] as const) {
        assert.equal((await world.call(method, path, body, agentCookie)).status, 403, `${method} ${path}`);
      }
      for (const body of [{}, { confirm: "yes" }, { confirm: "ERASE" }]) {
        const refused = await world.call("POST", `/contacts/${ada.contactId}/erase`, body);
        assert.equal(refused.status, 400);
        assert.match(((await refused.json()) as { error: string }).error, /confirm/);
      }
      assert.equal((await world.call("POST", `/conversations/${ada.conversationId}/erase`, {})).status, 400);
      assert.equal((await world.call("POST", "/contacts/999999/erase", { confirm: "erase" })).status, 404);
      assert.ok((await world.server.store.getContact(ada.contactId)) !== undefined);
    });

    it("erases a contact: nothing of them in any table or the file store, agents told, Bob untouched", async () => {
      const search = async (text: string) => {
        const listed = await world.call("GET", `/conversations?q=${encodeURIComponent(text)}`);
        return ((await listed.json()) as { conversations: Array<{ id: number }> }).conversations;
      };
      assert.equal((await search(ada.marker)).length, 1);
      for (const key of ada.blobKeys) assert.ok(await storage.blobExists(world, key), key);
      assert.ok(
        tracesOf(await everyRow(world), ada).some((trace) => trace.startsWith("conversation_ratings:")),
      );

      const agent = await agentSession(world.server, world.cookie);
      try {
        const told = agent.cable.next((frame) => {
          const event = frame.message as { type?: string; conversation_id?: number } | undefined;
          return event?.type === "conversation_deleted" && event.conversation_id === ada.conversationId;
        });
        // Handled here too: a failure before it is awaited must not leave it unhandled.
        told.catch(() => undefined);
        const response = await world.call("POST", `/contacts/${ada.contactId}/erase`, { confirm: "erase" });
        assert.equal(response.status, 200);
        const counts = (await response.json()) as EraseResponse;
        assert.deepEqual(counts, { conversations: 1, messages: 2, files: 1, contacts: 1 });
        await told;
      } finally {
        agent.close();
      }

      assert.deepEqual(tracesOf(await everyRow(world), ada), []);
      for (const key of ada.blobKeys) assert.equal(await storage.blobExists(world, key), false, key);
      assert.deepEqual(await search(ada.marker), []);
      // Bob's conversation, contact, files and words are all still there.
      assert.ok((await world.server.store.getConversation(bob.conversationId)) !== undefined);
      assert.ok((await world.server.store.getContact(bob.contactId)) !== undefined);
      for (const key of bob.blobKeys) assert.ok(await storage.blobExists(world, key), key);
      assert.equal((await search(bob.marker)).length, 1);
      const tables = await everyRow(world);
      assert.ok(tracesOf(tables, bob).some((trace) => trace.startsWith("messages:")));
      assert.ok(tracesOf(tables, bob).some((trace) => trace.startsWith("notes:")));
      assert.ok(tracesOf(tables, bob).some((trace) => trace.startsWith("page_views:")));
      assert.ok(tracesOf(tables, bob).some((trace) => trace.startsWith("conversation_ratings:")));

      const [record] = world.audit.records.filter((r) => r.action === "contact.erased");
      assert.deepEqual(
        { ...record, actor: record!.actor.kind },
        {
          action: "contact.erased",
          actor: "agent",
          targetType: "contact",
          targetId: ada.contactId,
          siteId: (await world.server.store.getDefaultSite()).id,
          details: { conversations: 1, messages: 2, files: 1, contacts: 1 },
        },
      );
      assert.ok(!JSON.stringify(world.audit.records).includes(ada.email));
    });

    it("erases one conversation: its rows and files go, the contact stays", async () => {
      const response = await world.call("POST", `/conversations/${bob.conversationId}/erase`, {
        confirm: "erase",
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { conversations: 1, messages: 2, files: 1, contacts: 0 });
      const left = tracesOf(await everyRow(world), { ...bob, contactId: -1 });
      // The contact row keeps its name and email (a contact erasure takes those); nothing else is left.
      assert.deepEqual(
        left.filter((trace) => !trace.startsWith("contacts:")),
        [],
      );
      for (const key of bob.blobKeys) assert.equal(await storage.blobExists(world, key), false, key);
      assert.ok(
        world.audit.records.some(
          (r) => r.action === "conversation.erased" && r.targetId === bob.conversationId,
        ),
      );
      assert.equal(
        (await world.call("POST", `/conversations/${bob.conversationId}/erase`, { confirm: "erase" })).status,
        404,
      );
    });
  });
}
