import { clone } from './args.js';
import type { Ids } from './ids.js';
import type { StoredView } from './types.js';
import { APP_ID, BOT_ID, TEAM_ID } from './workspace.js';

/** Open modals by id, with the fields Slack adds to every view it returns. */
export class ViewStore {
  private readonly views = new Map<string, StoredView>();

  constructor(private readonly ids: Ids) {}

  open(view: Record<string, unknown>, previousViewId: string | null = null): StoredView {
    const id = this.ids.viewId();
    const rootViewId = previousViewId === null ? id : (this.views.get(previousViewId)?.root_view_id ?? id);
    const stored: StoredView = {
      team_id: TEAM_ID,
      type: 'modal',
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...view,
      id,
      state: { values: {} },
      hash: this.ids.viewHash(),
      previous_view_id: previousViewId,
      root_view_id: rootViewId,
      app_id: APP_ID,
      app_installed_team_id: TEAM_ID,
      bot_id: BOT_ID,
    };
    this.views.set(id, stored);
    return clone(stored);
  }

  get(id: string): StoredView | undefined {
    const view = this.views.get(id);
    return view === undefined ? undefined : clone(view);
  }

  findByExternalId(externalId: string): StoredView | undefined {
    for (const view of this.views.values()) if (view.external_id === externalId) return clone(view);
    return undefined;
  }

  /** Replaces the view's content; Slack keeps id, root and previous view, and issues a new hash. */
  replace(id: string, view: Record<string, unknown>): StoredView | undefined {
    const current = this.views.get(id);
    if (current === undefined) return undefined;
    // Slack replaces the whole view: a field the new view leaves out (say, its submit button) is gone.
    const replaced: StoredView = {
      team_id: current.team_id,
      type: 'modal',
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      app_id: current.app_id,
      app_installed_team_id: current.app_installed_team_id,
      bot_id: current.bot_id,
      ...view,
      id,
      state: { values: {} },
      hash: this.ids.viewHash(),
      previous_view_id: current.previous_view_id,
      root_view_id: current.root_view_id,
    };
    this.views.set(id, replaced);
    return clone(replaced);
  }

  clear(): void {
    this.views.clear();
  }

  dump(): StoredView[] {
    return clone([...this.views.values()]);
  }

  load(views: readonly StoredView[]): void {
    this.views.clear();
    for (const view of clone(views)) this.views.set(view.id, view);
  }
}
