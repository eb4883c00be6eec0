export {
  type Envelope,
  type EnvelopeOptions,
  type EnvelopeType,
  envelope,
  type SocketAck,
} from './envelopes.js';
export { LINK_PATH, type SocketServerOptions } from './server.js';
export {
  type Delivered,
  type DeliverOptions,
  type SocketClickResult,
  type SocketCommandResult,
  type SocketEventResult,
  type SocketModeOptions,
  SocketModeSide,
} from './side.js';
