import { z } from 'zod';
import {
  blankIsUnset,
  type Environment,
  NO_WHITESPACE,
  parseSettings,
  port,
  seconds,
} from '../settings-rules.js';

export const DEFAULT_SIMULATOR_TOKEN = 'simulator-token';

export interface SimulatorSettings {
  port: number;
  token: string;
  settleMs: number;
}

const simulatorSchema = z.object({
  SIMULATOR_PORT: port(4010),
  VPS_API_TOKEN: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(NO_WHITESPACE, 'must be the token the simulator accepts, no spaces')
      .default(DEFAULT_SIMULATOR_TOKEN),
  ),
  SIMULATOR_SETTLE_SECONDS: seconds(5, 3600),
});

/** The settings of `npm run simulator`, a subset that needs no Slack at all. */
export function loadSimulatorSettings(env: Environment): SimulatorSettings {
  const settings = parseSettings(simulatorSchema, env);
  return {
    port: settings.SIMULATOR_PORT,
    token: settings.VPS_API_TOKEN,
    settleMs: Math.round(settings.SIMULATOR_SETTLE_SECONDS * 1000),
  };
}
