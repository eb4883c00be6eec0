import type { ChangeRequest, ChangeSpec, Confirmation } from '../records.js';
import type { Server } from '../vps/schemas.js';

/** Destructive changes, and those whose effect the person should see first, wait for a confirmation. */
export function needsConfirmation(request: ChangeRequest): boolean {
  switch (request.action) {
    case 'stop':
    case 'reboot':
    case 'delete':
    case 'create':
    case 'edit':
      return true;
    case 'backups':
      return !request.enabled;
    default:
      return false;
  }
}

/** Why a change cannot or need not happen to a server as it is now; undefined when it can. */
export function obstacle(request: ChangeRequest, server: Server): string | undefined {
  switch (request.action) {
    case 'start':
      if (server.status === 'stopped') return undefined;
      return server.status === 'active' ? 'is already running' : `is ${server.status}, not stopped`;
    case 'stop':
      if (server.status === 'active') return undefined;
      return server.status === 'stopped' ? 'is already stopped' : `is ${server.status}, not running`;
    case 'reboot':
      return server.status === 'active' ? undefined : `is ${server.status}, not running`;
    case 'rename':
      return server.name === request.name ? `is already named ${request.name}` : undefined;
    case 'hostname':
      return server.hostname === request.hostname
        ? `already has the hostname ${request.hostname}`
        : undefined;
    case 'backups':
      return server.backups_enabled === request.enabled
        ? `already has backups ${request.enabled ? 'on' : 'off'}`
        : undefined;
    case 'edit': {
      const { values } = request;
      const same =
        values.name === server.name &&
        values.hostname === server.hostname &&
        values.backups_enabled === server.backups_enabled;
      return same ? 'would not change: the values are the ones it has' : undefined;
    }
    default:
      return undefined;
  }
}

/** What changed on a server since a confirmation was asked, in words; empty when nothing did. */
export function changesSince(asked: NonNullable<Confirmation['server']>, now: Server): string[] {
  const changes: string[] = [];
  if (now.status !== asked.status) changes.push(`its status is now ${now.status} (was ${asked.status})`);
  if (now.name !== asked.name) changes.push(`it was renamed to ${now.name}`);
  if (changes.length === 0 && now.updated_at !== asked.updatedAt) {
    changes.push(`it was updated at ${now.updated_at}`);
  }
  return changes;
}

/** The parameters of a request, for the audit trail. */
export function paramsOf(request: ChangeRequest | ChangeSpec): Record<string, unknown> {
  const { action: _action, ...rest } = request;
  const { serverId: _serverId, ...params } = rest as Record<string, unknown>;
  return params;
}

/** The server a request is about, if it is about one already existing. */
export function serverIdOf(request: ChangeRequest): number | undefined {
  return 'serverId' in request ? request.serverId : undefined;
}
