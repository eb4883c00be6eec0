import { INPUT_LIMITS } from '../input-limits.js';
import type { VpsClient } from '../vps/client.js';
import { VpsError } from '../vps/errors.js';
import { checkServerId, isIdOutOfRange, parseId } from '../vps/inputs.js';
import type { Server } from '../vps/schemas.js';
import { editDistance } from './edit-distance.js';

export type Lookup =
  | { kind: 'found'; server: Server }
  | { kind: 'ambiguous'; ref: string; matches: Server[] }
  | { kind: 'missing'; ref: string; suggestions: string[] };

/** `<server>` is a numeric ID, an exact name or an exact hostname. */
export async function lookupServer(vps: Pick<VpsClient, 'get' | 'list'>, ref: string): Promise<Lookup> {
  const wanted = ref.trim();
  const id = parseId(wanted);
  // Said as invalid input, never rounded to a neighbouring ID.
  if (isIdOutOfRange(wanted)) checkServerId(Number(wanted));
  if (id !== undefined) {
    try {
      return { kind: 'found', server: await vps.get(id) };
    } catch (error) {
      // A name may be all digits: fall through to names when no server has that ID.
      if (!(error instanceof VpsError && error.kind === 'not_found')) throw error;
    }
  }
  const servers = await vps.list();
  const matches = servers.filter((server) => server.name === wanted || server.hostname === wanted);
  if (matches.length === 1 && matches[0]) return { kind: 'found', server: matches[0] };
  if (matches.length > 1) return { kind: 'ambiguous', ref: wanted, matches };
  return {
    kind: 'missing',
    ref: wanted,
    suggestions: nearest(
      wanted,
      servers.map((server) => server.name),
    ),
  };
}

/**
 * The closest few candidates to a mistyped word, closest first; none when nothing is close. Bounded
 * whatever it is given: a word longer than any name gets no suggestion, only the first
 * `INPUT_LIMITS.suggestCandidates` candidates are looked at, and the edit distance gives up past the
 * cutoff.
 */
export function nearest(word: string, candidates: readonly string[], max = 3): string[] {
  if (word.length > INPUT_LIMITS.suggestWord) return [];
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 3));
  const scored: { candidate: string; near: number }[] = [];
  for (const candidate of new Set(candidates.slice(0, INPUT_LIMITS.suggestCandidates))) {
    const other = candidate.toLowerCase();
    // A part of a name (or the name within the word) is near, whatever the lengths.
    if (other.includes(lower) || lower.includes(other)) {
      scored.push({ candidate, near: 1 });
      continue;
    }
    if (Math.abs(other.length - lower.length) > limit) continue;
    const near = editDistance(lower, other, limit);
    if (near <= limit) scored.push({ candidate, near });
  }
  return scored
    .sort((a, b) => a.near - b.near || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}
