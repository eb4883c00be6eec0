import { z } from 'zod';

/**
 * What VPS.org answers, as documented in vps-api.md. Unknown extra fields are dropped, never fatal;
 * fields the documentation shows only in some responses are optional; a status the bot does not know
 * is kept as it is.
 */

export const TRANSITIONAL_STATUSES = ['provisioning', 'starting', 'stopping', 'rebooting'] as const;
export const LIST_STATUSES = ['active', 'stopped', 'suspended', ...TRANSITIONAL_STATUSES] as const;

export type ServerStatus = string;

export function isTransitional(status: ServerStatus): boolean {
  return (TRANSITIONAL_STATUSES as readonly string[]).includes(status);
}

const id = z.number().int().positive();
const amount = z.number().nonnegative();

export const planSchema = z.object({
  id,
  name: z.string(),
  vcpus: amount,
  /** MB */
  memory: amount,
  /** GB */
  storage: amount,
  /** GB a month; only in the detailed view. */
  bandwidth: amount.optional(),
});

export const osSchema = z.object({ id, name: z.string() });

export const resourceUsageSchema = z.object({
  cpu_percent: amount,
  memory_used: amount,
  disk_used: amount,
  bandwidth_used: amount,
});

/** A server as the list shows it; the detailed view adds the optional fields. */
export const serverSchema = z.object({
  id,
  name: z.string(),
  hostname: z.string().nullish(),
  status: z.string().min(1),
  ip_address: z.string().nullish(),
  ipv6_address: z.string().nullish(),
  location: z.string(),
  plan: planSchema,
  os: osSchema,
  backups_enabled: z.boolean().optional(),
  resource_usage: resourceUsageSchema.nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const serverListPageSchema = z.object({
  count: z.number().int().nonnegative().optional(),
  results: z.array(serverSchema),
  next: z.string().nullish(),
});

export const createdServerSchema = serverSchema.extend({
  message: z.string().optional(),
});

export const powerActionResultSchema = z.object({
  status: z.string(),
  message: z.string().optional(),
  server: z.object({ id, name: z.string().optional(), status: z.string().min(1) }),
});

export type Plan = z.infer<typeof planSchema>;
export type OperatingSystem = z.infer<typeof osSchema>;
export type ResourceUsage = z.infer<typeof resourceUsageSchema>;
export type Server = z.infer<typeof serverSchema>;
export type ServerListPage = z.infer<typeof serverListPageSchema>;
export type CreatedServer = z.infer<typeof createdServerSchema>;
export type PowerActionResult = z.infer<typeof powerActionResultSchema>;
export type PowerAction = 'start' | 'stop' | 'reboot';
