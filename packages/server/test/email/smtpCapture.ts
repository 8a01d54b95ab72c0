/**
 * A real SMTP server in the test process (smtp-server) that keeps every email it receives,
 * parsed by mailparser, so tests read what a mail client would show.
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export class SmtpTestServer {
  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
    readonly received: ParsedMail[],
  ) {}

  static async start(): Promise<SmtpTestServer> {
    const received: ParsedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.server.address() as AddressInfo;
    return new SmtpTestServer(server, `smtp://127.0.0.1:${port}`, received);
  }

  /** The first email (past or future) matching `predicate`. */
  async waitFor(
    predicate: (mail: ParsedMail) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
