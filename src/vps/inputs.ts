import { z } from 'zod';
import { VpsError } from './errors.js';

/** What the bot may send to VPS.org, checked before any request so bad input changes nothing. */

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const LOCATION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const ID_RULE = `must be a positive whole number (at most ${Number.MAX_SAFE_INTEGER})`;

/** Server, plan, OS and SSH key IDs: safe positive integers (zod's int() is the safe-integer check). */
export const idSchema = z.number({ error: ID_RULE }).int(ID_RULE).positive(ID_RULE);

/**
 * The one answer to "is this text an ID": decimal digits naming a safe positive integer. Anything else
 * (a name, a tampered button value, 2^53 and above, which would lose precision) is undefined.
 */
export function parseId(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  return idSchema.safeParse(id).success ? id : undefined;
}

/**
 * An ID as the bot itself writes one on a button (`String(id)`): a value in any other spelling (` 7`,
 * `007`, `7 `) is not one the bot made, so it is tampered or broken, never read as a neighbour's ID.
 */
export function parseOwnId(value: string): number | undefined {
  const id = parseId(value);
  return id !== undefined && String(id) === value ? id : undefined;
}

/** A number typed as an ID that no ID can be: past 2^53 - 1, where it would lose precision. */
export function isIdOutOfRange(text: string): boolean {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) && parseId(trimmed) === undefined && /[1-9]/.test(trimmed);
}

export const serverNameSchema = z
  .string({ error: 'is required' })
  .regex(NAME, 'must be 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen');

export function isFqdn(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split('.');
  const tld = labels.at(-1) ?? '';
  return (
    labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /^[A-Za-z][A-Za-z0-9-]*$/.test(tld)
  );
}

export const hostnameSchema = z
  .string({ error: 'is required' })
  .refine(isFqdn, 'must be a fully qualified domain name such as web01.example.com');

export const locationSchema = z
  .string({ error: 'is required' })
  .regex(LOCATION, 'must be a location code such as us-west (lowercase letters, digits, hyphens)');

const backups = z.boolean({ error: 'must be true or false' });

export const createServerInputSchema = z.strictObject({
  name: serverNameSchema,
  plan_id: idSchema,
  os_id: idSchema,
  location: locationSchema,
  hostname: hostnameSchema.optional(),
  ssh_key_id: idSchema.optional(),
  backups_enabled: backups.optional(),
});

export const updateServerInputSchema = z.strictObject({
  name: serverNameSchema,
  hostname: hostnameSchema,
  backups_enabled: backups,
});

export const patchServerInputSchema = z
  .strictObject({
    name: serverNameSchema.optional(),
    hostname: hostnameSchema.optional(),
    backups_enabled: backups.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'needs at least one field');

export type CreateServerInput = z.infer<typeof createServerInputSchema>;
export type UpdateServerInput = z.infer<typeof updateServerInputSchema>;
export type PatchServerInput = z.infer<typeof patchServerInputSchema>;

/** Parses input or throws an `invalid` VpsError naming the first field at fault (`field` for a lone value). */
export function checkInput<T>(schema: z.ZodType<T>, input: unknown, field?: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at =
    issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.map(String).join('.') || field;
  const reason = issue?.code === 'unrecognized_keys' ? 'is not a field VPS.org accepts here' : issue?.message;
  return fail(at, reason ?? 'is not valid');
}

function fail(field: string | undefined, reason: string): never {
  throw new VpsError({
    kind: 'invalid',
    field,
    message: field === undefined ? `Invalid input: ${reason}.` : `Invalid input: ${field} ${reason}.`,
  });
}

export function checkServerId(id: unknown): number {
  const parsed = idSchema.safeParse(id);
  if (parsed.success) return parsed.data;
  return fail('server_id', parsed.error.issues[0]?.message ?? 'is not valid');
}
