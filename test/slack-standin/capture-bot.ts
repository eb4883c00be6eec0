import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A bare HTTP endpoint standing in for the bot: it keeps what arrives and answers with `reply`. */
export class CaptureBot {
  readonly received: Captured[] = [];
  reply: { status: number; body: string; contentType?: string } = { status: 200, body: '' };
  private server: Server | undefined;

  async start(): Promise<string> {
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      this.received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      const headers = this.reply.contentType === undefined ? {} : { 'Content-Type': this.reply.contentType };
      res.writeHead(this.reply.status, headers);
      res.end(this.reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  }

  /** The last request's interactivity payload, decoded from its `payload` form field. */
  lastPayload(): Record<string, unknown> {
    const last = this.received.at(-1);
    const payload = new URLSearchParams(last?.rawBody ?? '').get('payload');
    if (payload === null) throw new Error('the last request carried no payload field');
    return JSON.parse(payload) as Record<string, unknown>;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
