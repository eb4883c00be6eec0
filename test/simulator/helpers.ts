import type { RecordedRequest, SimListItem, SimServer, Simulator } from '../../src/simulator/index.js';

/** The JSON bodies the tests read; each test names the one it expects. */
export interface Bodies {
  detail: { detail: string };
  server: SimServer & { message?: string };
  list: { count: number; next?: string | null; previous?: string | null; results: SimListItem[] };
  power: { status: string; message: string; server: { id: number; name: string; status: string } };
  servers: { count: number; results: SimServer[] };
  requests: { count: number; results: RecordedRequest[] };
  any: Record<string, unknown>;
}

export interface Answer<K extends keyof Bodies = 'any'> {
  status: number;
  headers: Headers;
  text: string;
  json: Bodies[K];
}

export interface CallOptions {
  body?: unknown;
  token?: string | null;
  raw?: string;
}

/** One request to the simulator's API; `path` is relative to the base URL, like '/servers/'. */
export async function call<K extends keyof Bodies = 'any'>(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<K>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const url = path.startsWith('http') ? path : `${sim.baseUrl}${path}`;
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as Bodies[K] };
}

/** Calls a control route (no token), `path` like '/_sim/reset'. */
export async function control<K extends keyof Bodies = 'any'>(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<K>> {
  return call<K>(sim, method, `${sim.origin}${path}`, { body, token: null });
}

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
