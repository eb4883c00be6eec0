import { clone } from './args.js';
import type { Ids } from './ids.js';
import type { StoredView } from './types.js';
import { APP_ID, BOT_ID, TEAM_ID } from './workspace.js';

/** Each person's Home tab: the view the app last published for them, as Slack keeps it. */
export class HomeViewStore {
  private readonly homes = new Map<string, StoredView>();

  constructor(private readonly ids: Ids) {}

  get(userId: string): StoredView | undefined {
    const view = this.homes.get(userId);
    return view === undefined ? undefined : clone(view);
  }

  /** Replaces the person's Home view; it keeps its id, and gets a new hash each time. */
  publish(userId: string, view: Record<string, unknown>): StoredView {
    const current = this.homes.get(userId);
    const id = current?.id ?? this.ids.viewId();
    const stored: StoredView = {
      team_id: TEAM_ID,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      ...view,
      type: 'home',
      id,
      state: { values: {} },
      hash: this.ids.viewHash(),
      previous_view_id: null,
      root_view_id: id,
      app_id: APP_ID,
      app_installed_team_id: TEAM_ID,
      bot_id: BOT_ID,
    };
    this.homes.set(userId, stored);
    return clone(stored);
  }

  clear(): void {
    this.homes.clear();
  }
}
