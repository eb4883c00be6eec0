/** Every action_id and callback_id the bot uses: listeners match these, builders emit them. */
export const ACTION = {
  start: 'vps.start',
  stop: 'vps.stop',
  reboot: 'vps.reboot',
  refresh: 'vps.refresh',
  edit: 'vps.edit',
  delete: 'vps.delete',
  share: 'vps.share',
  confirm: 'vps.confirm',
  cancel: 'vps.cancel',
  pagePrevious: 'vps.page.previous',
  pageNext: 'vps.page.next',
  approve: 'vps.approve',
  reject: 'vps.reject',
  cancelSchedule: 'vps.schedule.cancel',
  homePrevious: 'vps.home.page.previous',
  homeNext: 'vps.home.page.next',
  /** One per list row: action_ids must be unique within a message. */
  showPrefix: 'vps.show.',
} as const;

export const VIEW = {
  delete: 'vps.delete',
  editForm: 'vps.edit.form',
  createForm: 'vps.create.form',
  review: 'vps.review',
} as const;

/** Block and action ids of the modal inputs, read back on submission. */
export const INPUT = {
  confirmName: 'confirm_name',
  name: 'name',
  hostname: 'hostname',
  backups: 'backups',
  plan: 'plan',
  planOther: 'plan_other',
  os: 'os',
  osOther: 'os_other',
  location: 'location',
  locationOther: 'location_other',
  sshKey: 'ssh_key',
  value: 'value',
} as const;

/** The slash command the bot answers. */
export const COMMAND = '/vps';

/** The one Events API event the bot listens to. */
export const HOME_OPENED = 'app_home_opened';

/** Every action_id and callback_id of the bot's starts so; anything else is not the bot's. */
export const OWN_ID = /^vps\./;
