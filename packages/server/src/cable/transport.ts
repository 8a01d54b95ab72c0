/**
 * The seam between the cable protocol and the socket it runs on: what a connection needs from a
 * WebSocket and nothing more. Production uses `ws` (wsTransport.ts); the connection's tests use a
 * fake, so the protocol's state machine is tested without a server or a socket.
 */

/**
 * What a transport tells its listener (the connection, which implements this itself: an object
 * of three closures per socket cost about 250 bytes per connected visitor).
 */
export interface TransportEvents {
  /** One whole frame as received; `binary` for a binary frame (which ActionCable never sends). */
  frameReceived(data: Buffer, binary: boolean): void;
  /** The socket is gone, whichever side closed it. */
  socketClosed(): void;
  /** A socket-level failure; `socketClosed` follows. */
  socketFailed(error: Error): void;
}

export interface Transport {
  /** Queues one text frame: a string, or its UTF-8 in a Buffer (sent as it is, not copied). */
  send(frame: string | Buffer): void;
  /** Starts the closing handshake with a WebSocket close code (disconnects.ts). */
  close(code: number): void;
  /**
   * Drops the socket at once, without a closing handshake: for a client that reads nothing, whose
   * close frame would wait behind everything it left unread, holding that memory meanwhile.
   */
  terminate(): void;
  /** A WebSocket-level ping, which every browser answers by itself (a pong counts as heard). */
  ping(): void;
  /** Date.now() of the last frame or pong from the client (the socket's opening at first). */
  readonly lastHeardAt: number;
  /** Bytes queued by `send` and not yet handed to the network: how far behind the client is. */
  readonly bufferedAmount: number;
  /** Stops reading frames until `resumeReading`: TCP then holds the client back. */
  pauseReading(): void;
  resumeReading(): void;
  /** Delivers the socket's events to `events` from now on. Called once, by the connection. */
  listen(events: TransportEvents): void;
}
