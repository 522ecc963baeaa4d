/**
 * The outbox panel: each command with its status (pending / sending / conflict / rejected, and the recently
 * applied ones), the server's reason, and what the user can do next.
 */
import '../../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { A, useNavigate } from '@solidjs/router';
import { For, Match, Show, Switch } from 'solid-js';
import { availableActions, workflowOf } from '../../../../schema/workflows';
import { type OutboxCommand, db } from '../../db';
import { dateTime, lbl, problemText, ago, relative, t } from '../../i18n';
import { createNow } from '../../state/live';
import { useSession } from '../../state/session';
import { useSync } from '../../state/sync';
import { commandToDraft, discardCommand, reapplyCommand } from '../../sync/engine';
import { maskNik } from '../../sync/view';

function stateText(service: string, state: string): string {
  const label = workflowOf(service)?.states[state]?.label;
  return label ? lbl(label) : state;
}

function title(cmd: Pick<OutboxCommand, 'type' | 'service' | 'action' | 'input'>): string {
  const wf = workflowOf(cmd.service);
  if (cmd.type === 'create') {
    const nik = typeof cmd.input.nik === 'string' ? ` · ${maskNik(cmd.input.nik)}` : '';
    return t('outbox.create', { service: wf ? lbl(wf.title) : cmd.service }) + nik;
  }
  const label = wf?.actions[cmd.action ?? '']?.label;
  return label ? lbl(label) : (cmd.action ?? '');
}

export function OutboxPage() {
  const sync = useSync();
  const session = useSession();
  const navigate = useNavigate();
  const now = createNow(5_000);

  async function fixCreate(cmd: OutboxCommand) {
    const draft = await commandToDraft(cmd.id);
    if (draft) navigate(`/${draft.service}/new`);
  }

  async function reapply(cmd: OutboxCommand, baseVersion: number) {
    await reapplyCommand(cmd.id, baseVersion);
    sync.changed();
  }

  /** A rejected action is retried on the newest copy of its case this device has. */
  async function reapplyOnLatest(cmd: OutboxCommand) {
    const latest = cmd.conflictCase?.version ?? (await db.cases.get(cmd.caseId))?.version;
    if (latest !== undefined) await reapply(cmd, latest);
  }

  return (
    <section>
      <div class="row between">
        <h1>{t('outbox.title')}</h1>
        <button class="btn" disabled={!sync.online() || sync.syncing()} onClick={() => void sync.syncNow(true)} data-testid="sync-now">
          {sync.syncing() ? t('net.syncing') : t('outbox.syncNow')}
        </button>
      </div>
      <p class="muted">
        {t('outbox.lead')}{' '}
        <Show when={sync.state()?.lastSyncAt} fallback={t('outbox.never')}>
          {(at) => t('outbox.lastSync', { time: ago(at(), now()) })}
        </Show>
      </p>
      <Show when={sync.state()?.lastError}>
        {(p) => <p class="note note-warn">{problemText(p())}</p>}
      </Show>

      <Show when={sync.outbox().length > 0} fallback={<p class="note" data-testid="outbox-empty">{t('outbox.empty')}</p>}>
        <ul class="list" data-testid="outbox-list">
          <For each={sync.outbox()}>
            {(cmd) => {
              const mine = () => cmd.userId === session.user()?.id;
              const wf = () => workflowOf(cmd.service);
              // A conflicted action can be re-applied only if the case's new state still allows it.
              const stillAllowed = () =>
                cmd.type === 'action' &&
                cmd.conflictCase !== undefined &&
                wf() !== undefined &&
                availableActions(wf()!, cmd.conflictCase.state, session.user()?.roles ?? []).includes(cmd.action ?? '');
              return (
                <li class="list-item" data-testid="outbox-item" data-status={cmd.status} data-command-id={cmd.id}>
                  <div class="row between">
                    <strong>{title(cmd)}</strong>
                    <span class={`pill status-${cmd.status}`}>{t(`status.${cmd.status}`)}</span>
                  </div>
                  <div class="small muted row">
                    <span>{dateTime(cmd.createdAt)}</span>
                    <A href={`/${cmd.service}/${cmd.caseId}`}>{t('outbox.openCase')}</A>
                    <Show when={!mine()}>
                      <span>{t('outbox.otherUser', { user: cmd.username })}</span>
                    </Show>
                    <Show when={cmd.status === 'pending' && cmd.attempts > 0}>
                      <span>
                        {t('outbox.attempts', { n: cmd.attempts + 1 })} ·{' '}
                        {!sync.online()
                          ? t('outbox.waitingNetwork')
                          : cmd.nextAttemptAt > now()
                            ? t('outbox.nextAttempt', { time: relative(cmd.nextAttemptAt, now()) })
                            : t('outbox.retrySoon')}
                      </span>
                    </Show>
                  </div>
                  <Show when={cmd.status === 'pending' && cmd.lastProblem}>
                    {(p) => <p class="small muted">{problemText(p())}</p>}
                  </Show>
                  <Switch>
                    <Match when={cmd.status === 'conflict'}>
                      <div class="note note-warn" data-testid="conflict-help">
                        <Show when={cmd.conflictCase}>
                          {(cur) => (
                            <p>
                              {stillAllowed()
                                ? t('outbox.conflictHelp', { state: stateText(cmd.service, cur().state), version: cur().version })
                                : t('outbox.conflictCannot', { state: stateText(cmd.service, cur().state) })}
                            </p>
                          )}
                        </Show>
                        <Show when={cmd.lastProblem}>{(p) => <p class="small">{problemText(p())}</p>}</Show>
                        <div class="row">
                          <button class="btn" onClick={() => void discardCommand(cmd.id)} data-testid="discard">{t('outbox.discard')}</button>
                          <Show when={stillAllowed() && mine()}>
                            <button class="btn btn-primary" onClick={() => void reapply(cmd, cmd.conflictCase!.version)} data-testid="reapply">
                              {t('outbox.reapply')}
                            </button>
                          </Show>
                        </div>
                      </div>
                    </Match>
                    <Match when={cmd.status === 'rejected'}>
                      <div class="note note-bad" data-testid="rejected-help">
                        <Show when={cmd.lastProblem}>
                          {(p) => (
                            <p>
                              <strong>{problemText(p())}</strong>
                              <Show when={p().detail}> — {p().detail}</Show>
                            </p>
                          )}
                        </Show>
                        <p class="small">{cmd.type === 'create' ? t('outbox.rejectedHelp') : t('outbox.rejectedAction')}</p>
                        <div class="row">
                          <button class="btn" onClick={() => void discardCommand(cmd.id)} data-testid="discard">{t('outbox.discard')}</button>
                          <Show when={cmd.type === 'create' && mine()}>
                            <button class="btn btn-primary" onClick={() => void fixCreate(cmd)}>{t('outbox.edit')}</button>
                          </Show>
                          <Show when={cmd.type === 'action' && mine()}>
                            <button class="btn btn-primary" onClick={() => void reapplyOnLatest(cmd)}>{t('outbox.reapply')}</button>
                          </Show>
                        </div>
                      </div>
                    </Match>
                  </Switch>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>

      <Show when={sync.recent().length > 0}>
        <h2>{t('outbox.recent')}</h2>
        <ul class="list" data-testid="recent-list">
          <For each={sync.recent()}>
            {(r) => (
              <li class="list-item" data-testid="recent-item" data-status={r.status}>
                <div class="row between">
                  <span>{title({ type: r.type, service: r.service, action: r.action, input: {} })}</span>
                  <span class={`pill status-${r.status}`}>{t(`status.${r.status}`)}</span>
                </div>
                <div class="small muted row">
                  <span>{ago(r.at, now())}</span>
                  <A href={`/${r.service}/${r.caseId}`}>{t('outbox.openCase')}</A>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
