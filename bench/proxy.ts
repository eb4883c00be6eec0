import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  url: string;
  close(): Promise<void>;
}

/**
 * A round-robin HTTP load balancer on 127.0.0.1, as a team puts in front of its replicas: each
 * request goes to the next upstream in turn, its body, headers and answer passed through unchanged.
 */
export async function roundRobinProxy(upstreams: readonly string[]): Promise<LoadBalancer> {
  if (upstreams.length === 0) throw new Error('roundRobinProxy: no upstream');
  // Idle connections are dropped well before the bots' own 5 s keep-alive ends them: reusing one the
  // bot is closing would fail a request (ECONNRESET) for no fault of the bot's.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 2000 });
  let turn = 0;
  const server = createServer((req, res) => {
    const upstream = new URL(upstreams[turn++ % upstreams.length] ?? '');
    const forwarded = request(
      upstream,
      { method: req.method, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
