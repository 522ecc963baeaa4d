/** A case's history for any service: server steps (who, when, what they entered) then this device's unsynced commands. */
import '../i18n/staff-screens'; // this screen's texts (registered with t() when loaded)
import { For, Show } from 'solid-js';
import type { CaseView } from '../db';
import { dateTime, lbl, t } from '../i18n';
import { describeInput } from '../i18n/fields';
import type { LocalCase } from '../sync/view';

type Label = { id: string; en: string };
type Step = NonNullable<CaseView['steps']>[number];

export function CaseHistory(props: {
  c: LocalCase;
  testId: string;
  actionLabel: (action: string) => Label;
  stateLabel: (state: string) => Label;
  /** The action that creates the case: its input is the application itself, shown elsewhere. */
  createAction: string;
  /** Display name for a step's actor when the server sent none (e.g. the signed-in user's own steps). */
  actorName?: (step: Step) => string | null | undefined;
}) {
  const steps = () => [...(props.c.steps ?? [])].sort((a, b) => a.version - b.version);
  const nameOf = (s: Step) => s.actorName ?? props.actorName?.(s) ?? null;
  return (
    <ol class="timeline" data-testid={props.testId}>
      <For each={steps()}>
        {(s) => (
          <li data-action={s.action}>
            <strong>{lbl(props.actionLabel(s.action))}</strong> → {lbl(props.stateLabel(s.toState))}
            <div class="small muted">
              {dateTime(s.at)}
              <Show when={nameOf(s)}>{(name) => <> · {name()}</>}</Show>
            </div>
            <Show when={s.action !== props.createAction && describeInput(s.input).length > 0}>
              <dl class="small step-input">
                <For each={describeInput(s.input)}>
                  {(f) => (
                    <div data-field={f.key}>
                      <dt>{f.label}</dt>
                      <dd>{f.value}</dd>
                    </div>
                  )}
                </For>
              </dl>
            </Show>
          </li>
        )}
      </For>
      <For each={props.c.unsynced}>
        {(cmd) => (
          <li class="is-pending" data-testid="pending-step">
            <strong>{lbl(props.actionLabel(cmd.type === 'create' ? props.createAction : (cmd.action ?? '')))}</strong>
            <div class="small muted">{dateTime(cmd.createdAt)} · {t('case.pendingStep')}</div>
          </li>
        )}
      </For>
      <Show when={steps().length === 0 && props.c.unsynced.length === 0 && props.c.onServer && props.c.steps}>
        <li class="muted">{t('case.historyEmpty')}</li>
      </Show>
    </ol>
  );
}
