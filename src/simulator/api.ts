import { type Body, detail, invalidJson, methodNotAllowed, NOT_FOUND } from './http.js';
import { type Fleet, listItem, type PowerAction } from './state.js';
import type { Reply } from './types.js';
import { checkCreate, checkPatch, checkReplace } from './validate.js';

export const API_PREFIX = '/api/v1';

export interface ApiContext {
  fleet: Fleet;
  token: string;
  balanceOk: boolean;
  pageSize: number | undefined;
  /** Scheme, host and port the client used, for absolute `next` links. */
  origin: string;
}

export interface ApiRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
  body: Body;
}

type Route =
  | { kind: 'collection' }
  | { kind: 'item'; id: number }
  | { kind: 'action'; id: number; action: PowerAction };

const COLLECTION = `${API_PREFIX}/servers/`;
const ITEM = /^\/api\/v1\/servers\/(\d+)\/$/;
const ACTION = /^\/api\/v1\/servers\/(\d+)\/(start|stop|reboot)\/$/;

const ALLOWED: Record<Route['kind'], readonly string[]> = {
  collection: ['GET', 'POST'],
  item: ['GET', 'PUT', 'PATCH', 'DELETE'],
  action: ['POST'],
};

const PROVISIONING_MESSAGE = 'Server is being provisioned. This may take 2-5 minutes.';

function match(pathname: string): Route | undefined {
  if (pathname === COLLECTION) return { kind: 'collection' };
  const item = ITEM.exec(pathname);
  if (item) return { kind: 'item', id: Number(item[1]) };
  const action = ACTION.exec(pathname);
  if (action) return { kind: 'action', id: Number(action[1]), action: action[2] as PowerAction };
  return undefined;
}

export function isAuthorized(authorization: string | undefined, token: string): boolean {
  const found = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  return found?.[1] === token;
}

export function handleApi(ctx: ApiContext, req: ApiRequest): Reply {
  if (!isAuthorized(req.authorization, ctx.token)) {
    return { ...detail(401, 'Invalid or missing API token.'), headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  const route = match(req.url.pathname);
  if (!route) return NOT_FOUND;
  const allowed = ALLOWED[route.kind];
  if (!allowed.includes(req.method)) return methodNotAllowed(req.method, allowed);
  const bad = invalidJson(req.body);
  if (bad) return bad;
  const body = req.body.kind === 'json' ? req.body.value : undefined;

  switch (route.kind) {
    case 'collection':
      return req.method === 'GET' ? list(ctx, req.url) : create(ctx, body);
    case 'item':
      return item(ctx, req.method, route.id, body);
    case 'action':
      return power(ctx, route.id, route.action);
  }
}

function list(ctx: ApiContext, url: URL): Reply {
  const status = url.searchParams.get('status') || undefined;
  const location = url.searchParams.get('location') || undefined;
  const servers = ctx.fleet.list({ status, location });
  if (ctx.pageSize === undefined) {
    return { status: 200, body: { count: servers.length, results: servers.map(listItem) } };
  }
  const size = ctx.pageSize;
  const pages = Math.max(1, Math.ceil(servers.length / size));
  const raw = url.searchParams.get('page') ?? '1';
  const page = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(page >= 1 && page <= pages)) return detail(404, 'Invalid page.');
  const link = (to: number): string => {
    const target = new URL(`${url.pathname}${url.search}`, ctx.origin);
    // As Django REST framework does: the first page's link has no page parameter.
    if (to === 1) target.searchParams.delete('page');
    else target.searchParams.set('page', String(to));
    return target.href;
  };
  return {
    status: 200,
    body: {
      count: servers.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: servers.slice((page - 1) * size, page * size).map(listItem),
    },
  };
}

function create(ctx: ApiContext, body: unknown): Reply {
  const input = checkCreate(body);
  if (!input.ok) return detail(400, input.detail);
  if (!ctx.balanceOk) return detail(402, 'Insufficient balance.');
  const server = ctx.fleet.create(input.value);
  return { status: 201, body: { ...server, message: PROVISIONING_MESSAGE } };
}

function item(ctx: ApiContext, method: string, id: number, body: unknown): Reply {
  const { fleet } = ctx;
  if (!fleet.get(id)) return NOT_FOUND;
  switch (method) {
    case 'GET':
      break;
    case 'DELETE':
      fleet.remove(id);
      return { status: 204 };
    case 'PUT': {
      const input = checkReplace(body);
      if (!input.ok) return detail(400, input.detail);
      fleet.update(id, input.value);
      break;
    }
    default: {
      const input = checkPatch(body);
      if (!input.ok) return detail(400, input.detail);
      fleet.update(id, input.value);
    }
  }
  const server = fleet.get(id);
  return server ? { status: 200, body: server } : NOT_FOUND;
}

function power(ctx: ApiContext, id: number, action: PowerAction): Reply {
  const result = ctx.fleet.power(id, action);
  if (!result) return NOT_FOUND;
  if (!result.ok) return detail(400, result.detail);
  const { server } = result;
  return {
    status: 200,
    body: {
      status: 'success',
      message: `Server is ${server.status}`,
      server: { id: server.id, name: server.name, status: server.status },
    },
  };
}
