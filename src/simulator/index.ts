export { Hold, type HoldRule, type HoldSummary } from './holds.js';
export { LOCATIONS, OSES, PLANS } from './seed.js';
export { Simulator, type SimulatorEvents } from './simulator.js';
export type {
  FaultRule,
  RecordedRequest,
  ResourceUsage,
  SimListItem,
  SimOs,
  SimPlan,
  SimServer,
  SimulatorOptions,
} from './types.js';
