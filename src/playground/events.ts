import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './http.js';

const KEEP_ALIVE_MS = 15_000;

/**
 * Server-Sent Events to every open page: one `change` event per thing that happened (a Web API call
 * recorded, a response_url post, a VPS.org request), numbered. Events carry no content: each page
 * fetches what its person may see. A page that reconnects (EventSource does so by itself) refetches.
 */
export class EventStream {
  readonly #clients = new Set<ServerResponse>();
  #seq = 0;
  readonly #timer: NodeJS.Timeout;

  constructor() {
    this.#timer = setInterval(() => this.#write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.#timer.unref();
  }

  open(res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(`retry: 1000\nid: ${this.#seq}\nevent: hello\ndata: {"seq":${this.#seq}}\n\n`);
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  notify(what: string): void {
    this.#seq += 1;
    this.#write(`id: ${this.#seq}\nevent: change\ndata: ${JSON.stringify({ seq: this.#seq, what })}\n\n`);
  }

  close(): void {
    clearInterval(this.#timer);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #write(text: string): void {
    for (const res of this.#clients) res.write(text);
  }
}
