import type { OperatingSystem, Plan, Server } from '../vps/schemas.js';

/** What the account's servers show of plans, OSes and locations: the API has no catalogue endpoint. */
export interface Catalogue {
  plans: Plan[];
  systems: OperatingSystem[];
  locations: string[];
}

export function catalogueOf(servers: readonly Server[]): Catalogue {
  const plans = new Map<number, Plan>();
  const systems = new Map<number, OperatingSystem>();
  const locations = new Set<string>();
  for (const server of servers) {
    const known = plans.get(server.plan.id);
    // The detailed view knows the bandwidth; keep the fullest description seen.
    if (!known || (known.bandwidth === undefined && server.plan.bandwidth !== undefined)) {
      plans.set(server.plan.id, server.plan);
    }
    systems.set(server.os.id, server.os);
    locations.add(server.location);
  }
  return {
    plans: [...plans.values()].sort((a, b) => a.id - b.id),
    systems: [...systems.values()].sort((a, b) => a.name.localeCompare(b.name)),
    locations: [...locations].sort(),
  };
}
