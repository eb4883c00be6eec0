import { ConfigError } from '../settings-rules.js';
import { DEFAULT_SIMULATOR_TOKEN, loadSimulatorSettings, type SimulatorSettings } from './settings.js';
import { Simulator } from './simulator.js';

(await import('dotenv')).config({ quiet: true });

let settings: SimulatorSettings;
try {
  settings = loadSimulatorSettings(process.env);
} catch (error) {
  const problems = error instanceof ConfigError ? error.problems : [String(error)];
  for (const problem of problems) console.error(`Simulator not started: ${problem}.`);
  process.exit(1);
}

const simulator = new Simulator({
  token: settings.token,
  settleMs: settings.settleMs,
  provisionMs: settings.settleMs * 4,
});

try {
  await simulator.listen(settings.port);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${settings.port} is already in use (set SIMULATOR_PORT)`
      : String((error as Error).message);
  console.error(`Simulator not started: ${reason}.`);
  process.exit(1);
}

// A token that is not the default came from the environment, maybe the bot's real one: say where it is, not what.
const tokenLine =
  settings.token === DEFAULT_SIMULATOR_TOKEN
    ? DEFAULT_SIMULATOR_TOKEN
    : '<the VPS_API_TOKEN already in your environment>';
console.log(
  [
    `VPS.org simulator listening on ${simulator.baseUrl}`,
    'Put these in .env to point the bot at it:',
    `  VPS_API_URL=${simulator.baseUrl}`,
    `  VPS_API_TOKEN=${tokenLine}`,
  ].join('\n'),
);

const stop = async (): Promise<void> => {
  await simulator.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
