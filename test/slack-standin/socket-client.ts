import WebSocket from 'ws';

/** A bare WebSocket client for the stand-in's Socket Mode side: its messages, parsed, as they come. */
export interface TestClient {
  socket: WebSocket;
  /** The next message not taken yet, already arrived or to come. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the connection ends, with its close code. */
  closed: Promise<number>;
  ack(envelopeId: string, payload?: unknown): void;
}

export function connect(url: string): Promise<TestClient> {
  const socket = new WebSocket(url);
  const arrived: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else arrived.push(message);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: TestClient = {
    socket,
    closed,
    next(timeoutMs = 5000) {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message')), timeoutMs);
        waiting.push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
    },
    ack(envelopeId, payload) {
      socket.send(
        JSON.stringify(
          payload === undefined ? { envelope_id: envelopeId } : { envelope_id: envelopeId, payload },
        ),
      );
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}
