import { Directory } from './directory.js';
import { HomeViewStore } from './home-views.js';
import { Ids } from './ids.js';
import { MessageStore } from './messages.js';
import { ModalStacks } from './modal-stacks.js';
import { TriggerStore } from './triggers.js';
import { ViewStore } from './views.js';
import { isDm } from './workspace.js';

/** Everything the Web API methods read and change. */
export class Workspace {
  readonly ids = new Ids();
  readonly messages = new MessageStore();
  readonly views = new ViewStore(this.ids);
  readonly triggers: TriggerStore;
  /** Each person's open modals. */
  readonly modals = new ModalStacks();
  /** Registered people and channels (users.info, users.list, conversations.info names). */
  readonly directory = new Directory();
  /** Home tabs, one a person (views.publish). */
  readonly homes = new HomeViewStore(this.ids);
  readonly usergroups = new Map<string, string[]>();
  /** Channels whose membership a test set; every other channel counts as joined. */
  readonly membership = new Map<string, boolean>();
  /** The bot's own DMs (opened with conversations.open or by posting to a user id): the only D… it may post to. */
  readonly botDms = new Set<string>();

  constructor(triggerTtlMs: number) {
    this.triggers = new TriggerStore(triggerTtlMs);
  }

  isMember(channel: string): boolean {
    if (isDm(channel)) return this.botDms.has(channel);
    return this.membership.get(channel) ?? true;
  }

  reset(keepHomes = false): void {
    this.messages.clear();
    this.views.clear();
    this.triggers.clear();
    this.usergroups.clear();
    this.membership.clear();
    this.botDms.clear();
    this.modals.reset();
    this.directory.clear();
    if (!keepHomes) this.homes.clear();
  }
}
