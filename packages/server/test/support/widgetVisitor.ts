/**
 * A visitor on the widget's channel, as the widget is: from the widget's origin, writing
 * messages and waiting for each echo, telling the page it is on.
 */
import { randomUUID } from "node:crypto";
import { openRawCable, type RawCable } from "./rawCable.js";
import { visitorToken, WIDGET_ORIGIN } from "./testServer.js";

export class Visitor {
  private constructor(
    private readonly cable: RawCable,
    private readonly identifier: string,
    readonly token: string,
  ) {}

  static async connect(serverUrl: string, token = visitorToken()): Promise<Visitor> {
    const cable = await openRawCable(serverUrl, { origin: WIDGET_ORIGIN });
    const identifier = cable.subscribe({ channel: "VisitorChannel", token });
    await cable.next((frame) => frame.type === "confirm_subscription");
    return new Visitor(cable, identifier, token);
  }

  /** Sends and waits for the echo; the message's id. */
  async say(content: string): Promise<number> {
    const clientId = randomUUID();
    this.cable.perform(this.identifier, { action: "send_message", content, client_id: clientId });
    const echo = await this.cable.next((frame) => {
      const message = frame.message as { type?: string; message?: { client_id?: string } } | undefined;
      return message?.type === "message" && message.message?.client_id === clientId;
    });
    return (echo.message as { message: { id: number } }).message.id;
  }

  /** The page the widget runs on (protocol §12). */
  page(url: string): void {
    this.cable.perform(this.identifier, { action: "page", url, title: "A page" });
  }

  close(): void {
    this.cable.close();
  }
}
