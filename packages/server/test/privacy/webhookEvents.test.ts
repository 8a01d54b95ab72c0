/**
 * An erased contact's webhook events about no conversation (`contact.identified` before they
 * wrote) go with them; another contact's stay. Payloads are the ones webhooks/payloads.ts writes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contactIdentifiedEvent } from "../../src/webhooks/payloads.js";
import { visitorToken } from "../support/testServer.js";
import { privacyWorld, type PrivacyWorld } from "./harness.js";

describe("erasure and a contact's webhook events", () => {
  let world: PrivacyWorld;
  before(async () => {
    world = await privacyWorld();
  });
  after(() => world.dispose());

  it("deletes the erased contact's pending contact.identified deliveries only", async () => {
    const { store, chat } = world.server;
    const site = await store.getDefaultSite();
    const at = new Date().toISOString();
    // Disabled: nothing tries to deliver while the test looks at the rows.
    const webhook = await store.createWebhook({
      siteId: site.id,
      url: "https://hooks.example/parley",
      events: ["contact.identified"],
      format: "parley",
      secret: "s".repeat(32),
      enabled: false,
      at,
    });
    const deliveries = [];
    for (const name of ["Erased", "Kept"]) {
      const contact = await store.createContact({
        siteId: site.id,
        externalId: `user-${name}`,
        verified: true,
        name,
        email: `${name.toLowerCase()}@example.org`,
        attributes: {},
        sessionToken: visitorToken(),
        at,
      });
      const event = contactIdentifiedEvent(
        { type: "contact.identified", contact: chat.contacts.toWire(contact), conversation: null },
        { id: `event-${name}`, createdAt: at },
      );
      const delivery = await store.insertWebhookDelivery({
        webhookId: webhook.id,
        eventId: event.id,
        eventKey: `contact.identified:${event.id}`,
        eventType: "contact.identified",
        conversationId: null,
        contactId: contact.id,
        payload: JSON.stringify(event),
        at,
      });
      deliveries.push({ contact, delivery: delivery! });
    }
    const [erased, kept] = deliveries;
    const response = await world.call("POST", `/contacts/${erased!.contact.id}/erase`, { confirm: "erase" });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { conversations: 0, messages: 0, files: 0, contacts: 1 });
    assert.equal(await store.getWebhookDelivery(erased!.delivery.id), undefined);
    assert.ok((await store.getWebhookDelivery(kept!.delivery.id)) !== undefined);
  });
});
