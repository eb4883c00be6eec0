export type { ButtonInfo } from './blocks.js';
export { buttons } from './blocks.js';
export type { ChannelProfile, UserProfile } from './directory.js';
export type { FailureOptions } from './failures.js';
export {
  checkboxesValue,
  type InputValue,
  option,
  radioValue,
  selectValue,
  textValue,
  type ViewValues,
} from './inputs.js';
export type { ResponseOrigin } from './response-urls.js';
export { signSlackRequest } from './sign.js';
export { type WorkspaceSnapshot, workspaceSnapshotSchema } from './snapshot.js';
export {
  type ClickInput,
  type ClickResult,
  type CommandInput,
  type CommandResult,
  type EventResult,
  type MessageTarget,
  type PreparedClick,
  type PreparedCommand,
  type ResponseUrlFailure,
  SlackStandin,
  type SlackStandinOptions,
  type SubmitViewInput,
  type SubmitViewResult,
} from './standin.js';
export type {
  Call,
  CallPredicate,
  EphemeralMessage,
  PlainText,
  ResponseMessage,
  SendOptions,
  SendResult,
  SlackOption,
  StoredMessage,
  StoredView,
  WaitOptions,
} from './types.js';
export {
  APP_ID,
  BOT_ID,
  BOT_USER_ID,
  BOT_USER_NAME,
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  TEAM_DOMAIN,
  TEAM_ID,
  VERIFICATION_TOKEN,
} from './workspace.js';
