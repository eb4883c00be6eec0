import { describe, expect, it } from 'vitest';
import { loadSimulatorSettings } from '../../src/simulator/settings.js';

describe('loadSimulatorSettings', () => {
  it('defaults to port 4010 and the simulator token', () => {
    expect(loadSimulatorSettings({})).toEqual({ port: 4010, token: 'simulator-token', settleMs: 5000 });
  });

  it('accepts its settings and refuses bad ones', () => {
    expect(
      loadSimulatorSettings({ SIMULATOR_PORT: '0', VPS_API_TOKEN: 'tok', SIMULATOR_SETTLE_SECONDS: '0.1' }),
    ).toEqual({ port: 0, token: 'tok', settleMs: 100 });
    expect(() => loadSimulatorSettings({ SIMULATOR_PORT: '-3' })).toThrow(
      'SIMULATOR_PORT: must be a port number',
    );
  });
});
