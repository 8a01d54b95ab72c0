/**
 * kamal-proxy's part in a deploy, reduced to what the zero-downtime test needs: a TCP forwarder
 * on loopback whose target can be switched. New connections go to the current target;
 * connections already open stay on the old one until it closes them (as kamal-proxy lets the old
 * container drain its WebSockets).
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

export class SwapProxy {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private targetPort: number,
  ) {}

  static async start(targetPort: number): Promise<SwapProxy> {
    const server = createServer();
    const proxy = new SwapProxy(server, targetPort);
    server.on("connection", (client) => proxy.forward(client));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  switchTo(targetPort: number): void {
    this.targetPort = targetPort;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    }
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    // A clean end on one side ends the other once its data is flushed (pipe does that), so the
    // old server's last frames (`disconnect`, the close frame) reach the client.
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
