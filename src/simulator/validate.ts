import { findOs, findPlan, LOCATIONS, OSES, PLANS } from './seed.js';
import type { SimOs, SimPlan } from './types.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; detail: string };

export interface CreateInput {
  name: string;
  plan: SimPlan;
  os: SimOs;
  location: string;
  hostname?: string;
  ssh_key_id?: number;
  backups_enabled: boolean;
}

export interface UpdateInput {
  name?: string;
  hostname?: string;
  backups_enabled?: boolean;
}

const EDITABLE = ['name', 'hostname', 'backups_enabled'] as const;

const NAME = /^[A-Za-z0-9-]{1,63}$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

class Invalid extends Error {}

function fail(field: string, what: string): never {
  throw new Invalid(`${field}: ${what}`);
}

export function isName(value: string): boolean {
  return NAME.test(value);
}

export function isFqdn(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  const tld = labels[labels.length - 1] ?? '';
  // At least two labels and a non-numeric top level, so that an IP address is not taken for a hostname.
  return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /[a-z]/i.test(tld);
}

function has(body: Record<string, unknown>, field: string): boolean {
  return Object.hasOwn(body, field);
}

function required(body: Record<string, unknown>, field: string): unknown {
  if (!has(body, field)) fail(field, 'this field is required.');
  return body[field];
}

function checkName(value: unknown): string {
  if (typeof value !== 'string') fail('name', 'must be a string.');
  if (!isName(value)) fail('name', 'use only letters, digits and hyphens (1 to 63 characters).');
  return value;
}

function checkHostname(value: unknown): string {
  if (typeof value !== 'string') fail('hostname', 'must be a string.');
  if (!isFqdn(value)) fail('hostname', 'must be a fully qualified domain name, like web01.example.com.');
  return value;
}

function checkBackups(value: unknown): boolean {
  if (typeof value !== 'boolean') fail('backups_enabled', 'must be true or false.');
  return value;
}

function checkInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(field, 'must be an integer.');
  return value;
}

/** An empty request body counts as `{}`, so the answer names the first missing field. */
function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Invalid('Request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function run<T>(check: () => T): Checked<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, detail: error.message };
    throw error;
  }
}

export function checkCreate(input: unknown): Checked<CreateInput> {
  return run(() => {
    const body = asObject(input);
    const name = checkName(required(body, 'name'));
    const planId = checkInteger('plan_id', required(body, 'plan_id'));
    const plan = findPlan(planId) ?? fail('plan_id', `no plan with id ${planId} (valid: ${ids(PLANS)}).`);
    const osId = checkInteger('os_id', required(body, 'os_id'));
    const os = findOs(osId) ?? fail('os_id', `no operating system with id ${osId} (valid: ${ids(OSES)}).`);
    const location = required(body, 'location');
    if (typeof location !== 'string') fail('location', 'must be a string.');
    if (!LOCATIONS.includes(location)) {
      fail('location', `unknown location "${location}" (valid: ${LOCATIONS.join(', ')}).`);
    }
    const created: CreateInput = { name, plan, os, location, backups_enabled: false };
    if (has(body, 'hostname')) created.hostname = checkHostname(body.hostname);
    if (has(body, 'ssh_key_id')) {
      const key = checkInteger('ssh_key_id', body.ssh_key_id);
      if (key < 1) fail('ssh_key_id', 'must be a positive integer.');
      created.ssh_key_id = key;
    }
    if (has(body, 'backups_enabled')) created.backups_enabled = checkBackups(body.backups_enabled);
    return created;
  });
}

/** PUT: every editable field is required. */
export function checkReplace(input: unknown): Checked<Required<UpdateInput>> {
  return run(() => {
    const body = asObject(input);
    return {
      name: checkName(required(body, 'name')),
      hostname: checkHostname(required(body, 'hostname')),
      backups_enabled: checkBackups(required(body, 'backups_enabled')),
    };
  });
}

/** PATCH: only the fields sent, at least one, and nothing else. */
export function checkPatch(input: unknown): Checked<UpdateInput> {
  return run(() => {
    const body = asObject(input);
    const fields = Object.keys(body);
    if (fields.length === 0) {
      throw new Invalid(`Request body is empty: send at least one of ${EDITABLE.join(', ')}.`);
    }
    for (const field of fields) {
      if (!(EDITABLE as readonly string[]).includes(field)) {
        fail(field, `unknown or read-only field (editable: ${EDITABLE.join(', ')}).`);
      }
    }
    const update: UpdateInput = {};
    if (has(body, 'name')) update.name = checkName(body.name);
    if (has(body, 'hostname')) update.hostname = checkHostname(body.hostname);
    if (has(body, 'backups_enabled')) update.backups_enabled = checkBackups(body.backups_enabled);
    return update;
  });
}

function ids(items: readonly { id: number }[]): string {
  return items.map((item) => item.id).join(', ');
}
