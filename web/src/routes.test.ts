// The route table's copy of who acts in each SOP must match the SOP tables it stands in for.
import { describe, expect, it } from 'vitest';
import { workflowOf } from '../../schema/workflows';
import { RETAS_PROPOSE_ROLES, SOP_ROLES } from './routes';

describe('route table', () => {
  it.each(Object.keys(SOP_ROLES) as (keyof typeof SOP_ROLES)[])('names the roles of the %s SOP table', (service) => {
    const wf = workflowOf(service);
    expect(wf).toBeDefined();
    expect(new Set(SOP_ROLES[service].actions)).toEqual(new Set(Object.values(wf!.actions).flatMap((a) => a.roles)));
    expect(new Set(SOP_ROLES[service].submit)).toEqual(new Set(wf!.actions.submit?.roles ?? []));
  });
  it('names who proposes a RETAS event', () => {
    expect(new Set(RETAS_PROPOSE_ROLES)).toEqual(new Set(workflowOf('retas')!.actions.propose!.roles));
  });
});
