export interface SimPlan {
  id: number;
  name: string;
  vcpus: number;
  memory: number;
  storage: number;
  bandwidth: number;
}

export interface SimOs {
  id: number;
  name: string;
}

export interface ResourceUsage {
  cpu_percent: number;
  memory_used: number;
  disk_used: number;
  bandwidth_used: number;
}

/** A server in the detailed shape of `GET /servers/{id}/`, snake_case as on the wire. */
export interface SimServer {
  id: number;
  name: string;
  hostname: string;
  status: string;
  ip_address: string | null;
  ipv6_address: string | null;
  location: string;
  plan: SimPlan;
  os: SimOs;
  backups_enabled: boolean;
  /** Absent while the server is provisioning. */
  resource_usage?: ResourceUsage;
  created_at: string;
  updated_at: string;
}

/** One item of `GET /servers/`: no ipv6_address, backups_enabled, resource_usage or plan.bandwidth. */
export interface SimListItem
  extends Omit<SimServer, 'ipv6_address' | 'backups_enabled' | 'resource_usage' | 'plan'> {
  plan: Omit<SimPlan, 'bandwidth'>;
}

export interface SimulatorOptions {
  /** Bearer token the API accepts; default 'simulator-token'. */
  token?: string;
  /** How long starting, stopping and rebooting take to settle; default 3000 ms. */
  settleMs?: number;
  /** How long provisioning takes to settle; default 10000 ms. */
  provisionMs?: number;
  /** Page size of the list; default undefined: no paging. */
  pageSize?: number;
  /** Delay before every API response; default 0. */
  latencyMs?: number;
  /** Start with the documented servers; default true. */
  seed?: boolean;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** What time it is for the fleet (transitions, timestamps); default Date.now. Tests move it on. */
  clock?: () => number;
}

export interface FaultRule {
  /** 'GET', 'POST', ... or '*'. */
  method: string;
  /** An exact pathname like '/api/v1/servers/', or a RegExp tested against the pathname. */
  path: string | RegExp;
  /** How many matching requests it applies to; default 1 (with `every`: until reset). */
  times?: number;
  /** Apply to every n-th matching request only (the n-th, the 2n-th, ...); the others pass. */
  every?: number;
  /** Answer this status... */
  status?: number;
  /** ...with this JSON body; a string is sent raw. Default {"detail": "<status text>"}. */
  body?: unknown;
  /** Extra response headers, e.g. { 'Retry-After': '1' }; without a status they are added to the normal answer. */
  headers?: Record<string, string>;
  /** Wait this long first; with no status and no reset, then answer normally. */
  hangMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  authorized: boolean;
  /** Status answered; 0 when the connection was reset or is still being answered. */
  status: number;
  /** Date.now() when received. */
  at: number;
  /**
   * Milliseconds from receiving the request to writing its answer, as VPS.org's own time: latency,
   * holds and faults included. Undefined until answered (and for a reset).
   */
  answeredAfterMs?: number;
}

/** What a route handler answers; turned into an HTTP response by http.ts. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
