/** The resident's PIN rules shown beside the PIN fields and checked offline with the server's own rule (schema/ikd-rules.ts). */
import { For, Show } from 'solid-js';
import type { PinCheck } from '../../../../schema/ikd-rules';
import { lbl, t } from '../../i18n';
import { type PinContext, pinVerdict } from './pin';

const RULES = ['ikd.pin.rule.digits', 'ikd.pin.rule.simple', 'ikd.pin.rule.common', 'ikd.pin.rule.birth', 'ikd.pin.rule.personal', 'ikd.pin.rule.activation'] as const;

/** Lists the rules; once six digits are typed, says whether this PIN passes and, if not, why. */
export function PinPolicy(props: { pin: string; ctx: PinContext }) {
  const verdict = () => (props.pin.length === 6 ? pinVerdict(props.pin, props.ctx) : undefined);
  return (
    <div class="note" data-testid="pin-policy">
      <strong>{t('ikd.pin.policy')}</strong>
      <ul class="small">
        <For each={RULES}>{(k) => <li>{t(k)}</li>}</For>
      </ul>
      <Show when={verdict()}>
        {(v) => (
          <Show
            when={!v().ok && v()}
            fallback={<p class="small" data-testid="pin-verdict" data-ok="true">✓ {t('ikd.pin.ok')}</p>}
          >
            {(bad) => (
              <p class="small bad" role="alert" data-testid="pin-verdict" data-ok="false" data-reason={(bad() as Extract<PinCheck, { ok: false }>).reason}>
                {lbl((bad() as Extract<PinCheck, { ok: false }>).message)}
              </p>
            )}
          </Show>
        )}
      </Show>
    </div>
  );
}

/** A 6-digit PIN input: numeric keypad, hidden, digits only. */
export function PinInput(props: { name: string; label: string; value: string; onInput: (v: string) => void; testId?: string; autocomplete?: string }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        name={props.name}
        type="password"
        inputmode="numeric"
        autocomplete={props.autocomplete ?? 'off'}
        maxlength="6"
        pattern="\d{6}"
        value={props.value}
        data-testid={props.testId}
        onInput={(e) => props.onInput(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      />
    </label>
  );
}
