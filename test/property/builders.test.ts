import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { ChangeRequest, Confirmation, TrackedChange } from '../../src/records.js';
import { catalogueOf } from '../../src/service/catalogue.js';
import { serverCard } from '../../src/slack/blocks/card.js';
import { changeCard, outcomeText, stuckText } from '../../src/slack/blocks/change-card.js';
import { noticeMessage } from '../../src/slack/blocks/fleet-notice.js';
import { helpMessage } from '../../src/slack/blocks/help.js';
import { historyMessage } from '../../src/slack/blocks/history.js';
import { listMessage, listPages } from '../../src/slack/blocks/list.js';
import {
  createFormView,
  deleteView,
  editFormView,
  loadingView,
  messageView,
  reviewView,
} from '../../src/slack/blocks/modals.js';
import {
  ambiguousText,
  confirmOutcomeText,
  missingText,
  parseProblemText,
  requestOutcomeText,
} from '../../src/slack/blocks/outcomes.js';
import { confirmPrompt, createPreview, notice } from '../../src/slack/blocks/prompts.js';
import { busySentence, errorSentence, pastTense } from '../../src/slack/blocks/sentences.js';
import { subscriptionsText, subscriptionText } from '../../src/slack/blocks/subscriptions.js';
import { parseCommand } from '../../src/slack/parse.js';
import { VpsError } from '../../src/vps/errors.js';
import { auditEntry, fleetNotice, hostileText, server, userId } from './arbitraries.js';
import { expectSlackSafe } from './slack-safe.js';

/** Bounded: the whole file runs in a few seconds, every builder seeing a hundred hostile inputs. */
const RUNS = { numRuns: 100 };

const request: fc.Arbitrary<ChangeRequest> = fc.oneof(
  fc.record({
    action: fc.constantFrom('start' as const, 'stop' as const, 'reboot' as const, 'delete' as const),
    serverId: fc.integer({ min: 1 }),
  }),
  fc.record({ action: fc.constant('rename' as const), serverId: fc.integer({ min: 1 }), name: hostileText }),
  fc.record({
    action: fc.constant('hostname' as const),
    serverId: fc.integer({ min: 1 }),
    hostname: hostileText,
  }),
  fc.record({
    action: fc.constant('backups' as const),
    serverId: fc.integer({ min: 1 }),
    enabled: fc.boolean(),
  }),
  fc.record({
    action: fc.constant('edit' as const),
    serverId: fc.integer({ min: 1 }),
    values: fc.record({ name: hostileText, hostname: hostileText, backups_enabled: fc.boolean() }),
  }),
  fc.record({
    action: fc.constant('create' as const),
    input: fc.record(
      {
        name: hostileText,
        plan_id: fc.integer({ min: 1 }),
        os_id: fc.integer({ min: 1 }),
        location: hostileText,
        hostname: hostileText,
        ssh_key_id: fc.integer({ min: 1 }),
        backups_enabled: fc.boolean(),
      },
      { requiredKeys: ['name', 'plan_id', 'os_id', 'location'] },
    ),
  }),
);

const confirmation: fc.Arbitrary<Confirmation> = fc
  .record({ request, server, userId, replyUrl: fc.option(hostileText, { nil: undefined }) })
  .map(({ request, server, userId, replyUrl }) => ({
    id: 'c0nf1rmat10n-1d',
    userId,
    request,
    server:
      request.action === 'create'
        ? undefined
        : { id: server.id, name: server.name, status: server.status, updatedAt: server.updated_at },
    actor: { userId, channelId: 'C1', replyUrl },
    createdAt: 0,
    expiresAt: 600_000,
  }));

const tracked: fc.Arbitrary<TrackedChange> = fc
  .record({
    server,
    userId,
    action: fc.constantFrom('start' as const, 'stop' as const, 'reboot' as const, 'create' as const),
  })
  .map(({ server, userId, action }) => ({
    serverId: server.id,
    serverName: server.name,
    action,
    actor: { userId },
    startedAt: 0,
    status: server.status,
  }));

const elapsed = fc.integer({ min: 0, max: 10 * 24 * 3600_000 });

describe('every builder stays within Slack’s limits and lets no mention or link through', () => {
  it('server cards', () => {
    fc.assert(
      fc.property(
        server,
        fc.option(
          fc.record({ status: hostileText, userId, elapsedMs: fc.option(elapsed, { nil: undefined }) }),
          {
            nil: undefined,
          },
        ),
        fc.boolean(),
        (s, underWay, shareable) => expectSlackSafe({ blocks: serverCard(s, { underWay, shareable }) }),
      ),
      RUNS,
    );
  });

  it('lists, every page, with any filter `/vps list` takes', () => {
    const filter = fc.record(
      { status: fc.string({ maxLength: 64 }), location: fc.string({ maxLength: 64 }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(server, { maxLength: 70 }), filter, fc.integer(), (servers, f, page) => {
        expectSlackSafe(listMessage(servers, f, page, { shareable: true }));
        for (const each of listPages(servers, f, 10)) expectSlackSafe(each);
      }),
      { numRuns: 40 },
    );
  });

  it('change cards, their outcomes and stuck notes', () => {
    const state = fc.oneof(
      fc.record({
        kind: fc.constant('under_way' as const),
        elapsedMs: fc.option(elapsed, { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('settled' as const), tookMs: elapsed }),
      fc.record({ kind: fc.constant('stuck' as const), afterMs: elapsed }),
      fc.record({ kind: fc.constant('done' as const) }),
    );
    fc.assert(
      fc.property(
        request,
        fc.option(server, { nil: undefined }),
        tracked,
        userId,
        state,
        (r, s, change, actor, st) => {
          const headline = pastTense(r, change.serverName, actor);
          expectSlackSafe(
            changeCard({ headline, actorId: actor, serverName: change.serverName, server: s, state: st }),
          );
          expectSlackSafe(notice(outcomeText(change, s, 1_000)));
          expectSlackSafe(notice(stuckText(change, s, 1_000)));
          expectSlackSafe(notice(busySentence(change, 1_000)));
        },
      ),
      RUNS,
    );
  });

  it('fleet notices', () => {
    fc.assert(
      fc.property(fleetNotice, (n) => expectSlackSafe(noticeMessage(n))),
      RUNS,
    );
  });

  it('history, from any audit entries', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.integer({ min: 1 }),
        fc.array(auditEntry, { maxLength: 25 }),
        (name, id, entries) => expectSlackSafe(historyMessage(name, id, entries)),
      ),
      RUNS,
    );
  });

  it('confirmation prompts, create previews and the answers to Confirm', () => {
    fc.assert(
      fc.property(confirmation, fc.array(server, { maxLength: 5 }), server, (c, servers, now) => {
        const details =
          c.request.action === 'create' ? createPreview(c.request.input, catalogueOf(servers)) : [];
        expectSlackSafe(confirmPrompt(c, details));
        for (const kind of ['expired', 'wrong_user', 'gone', 'name_mismatch', 'used'] as const) {
          expectSlackSafe(notice(confirmOutcomeText({ kind, confirmation: c }, 0)));
        }
        expectSlackSafe(
          notice(
            confirmOutcomeText(
              { kind: 'changed', confirmation: c, server: now, changes: [now.name, now.status] },
              0,
            ),
          ),
        );
        expectSlackSafe(
          notice(
            confirmOutcomeText(
              {
                kind: 'done',
                change: {
                  actor: c.actor,
                  request: c.request,
                  before: now,
                  after: now,
                  message: undefined,
                  at: 0,
                  announced: true,
                },
              },
              0,
            ),
          ),
        );
      }),
      RUNS,
    );
  });

  it('forms: delete, edit, create, review, loading and message views', () => {
    fc.assert(
      fc.property(
        confirmation,
        server,
        fc.array(server, { maxLength: 8 }),
        hostileText,
        (c, s, servers, text) => {
          const origin = { channelId: 'C1', replyUrl: c.actor.replyUrl, serverId: s.id };
          expectSlackSafe(deleteView(c));
          expectSlackSafe(editFormView(s, origin));
          expectSlackSafe(createFormView(catalogueOf(servers), origin));
          expectSlackSafe(
            reviewView(text, c, ['*Create this server?*', ...createPreviewOf(c, servers)], text),
          );
          expectSlackSafe(loadingView(text, 'Reading…'));
          expectSlackSafe(
            messageView(
              text,
              missingText(
                text,
                servers.map((each) => each.name),
              ),
            ),
          );
        },
      ),
      RUNS,
    );
  });

  it('lookup answers, refusals and errors', () => {
    fc.assert(
      fc.property(hostileText, fc.array(server, { maxLength: 15 }), tracked, (ref, servers, change) => {
        expectSlackSafe(
          notice(
            missingText(
              ref,
              servers.map((s) => s.name),
            ),
          ),
        );
        if (servers[0]) {
          expectSlackSafe(notice(ambiguousText(ref, servers)));
          const first = servers[0];
          expectSlackSafe(
            notice(requestOutcomeText({ kind: 'nothing_to_do', server: first, reason: first.name }, 0) ?? ''),
          );
          expectSlackSafe(notice(requestOutcomeText({ kind: 'busy', server: first, change }, 0) ?? ''));
        }
        const refused = new VpsError({ kind: 'invalid', message: ref, detail: ref, status: 400 });
        expectSlackSafe(notice(errorSentence(refused, 'rename', ref)));
        expectSlackSafe(
          notice(errorSentence(new VpsError({ kind: 'not_found', message: 'x' }), undefined, ref)),
        );
      }),
      RUNS,
    );
  });

  it('subscriptions', () => {
    const subscription = fc.record({
      channelId: fc.constant('C1'),
      serverId: fc.oneof(fc.constant('all' as const), fc.integer({ min: 1 })),
      serverName: fc.option(hostileText, { nil: undefined }),
      by: userId,
      at: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        hostileText,
      ),
    });
    fc.assert(
      fc.property(
        fc.array(subscription, { maxLength: 20 }),
        fc.boolean(),
        hostileText,
        userId,
        (subs, notify, name, user) => {
          expectSlackSafe(notice(subscriptionsText(subs, notify)));
          for (const kind of ['subscribed', 'already', 'unsubscribed', 'not_subscribed'] as const) {
            expectSlackSafe(notice(subscriptionText(kind, { serverId: 1, name }, user)));
          }
        },
      ),
      RUNS,
    );
  });

  it('what `/vps <anything>` answers when it does not parse: the problem with help', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (text, mayChange) => {
        const parsed = parseCommand(text);
        if (parsed.ok) return;
        const problem = parseProblemText(parsed.problem, parsed.usage, parsed.suggestion);
        expectSlackSafe(notice(problem));
        expectSlackSafe(helpMessage(mayChange, problem));
      }),
      RUNS,
    );
  });
});

function createPreviewOf(c: Confirmation, servers: Parameters<typeof catalogueOf>[0]): string[] {
  return c.request.action === 'create' ? createPreview(c.request.input, catalogueOf(servers)) : [];
}
