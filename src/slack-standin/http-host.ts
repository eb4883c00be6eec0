import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HOST = '127.0.0.1';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A node:http server on 127.0.0.1 that can be closed at once, open keep-alive connections and all. */
export class HttpHost {
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(private readonly handler: RequestHandler) {}

  get port(): number {
    if (this.boundPort === undefined) throw new Error('SlackStandin: call listen() first');
    return this.boundPort;
  }

  get baseUrl(): string {
    return `http://${HOST}:${this.port}`;
  }

  async listen(port = 0): Promise<void> {
    if (this.server !== undefined) throw new Error('SlackStandin: already listening');
    const server = createServer((req, res) => {
      this.handler(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`stand-in error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.boundPort = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
