import type { Workspace } from '../state.js';

export type ApiResult = Record<string, unknown> & { ok: boolean };

export type MethodHandler = (args: Record<string, unknown>, workspace: Workspace) => ApiResult;

export function fail(error: string, messages?: string[]): ApiResult {
  return messages === undefined
    ? { ok: false, error }
    : { ok: false, error, response_metadata: { messages } };
}
