/** Labels of the IKD SOP table (schema/workflows/ikd.ts) for screens that only have a state or action name. */
import { ikd } from '../../../../schema/workflows/ikd';

export function ikdStateLabel(state: string): { id: string; en: string } {
  return ikd.states[state as keyof typeof ikd.states]?.label ?? { id: state, en: state };
}

export function ikdActionLabel(action: string): { id: string; en: string } {
  return ikd.actions[action as keyof typeof ikd.actions]?.label ?? { id: action, en: action };
}
