import type { MeResponse, SlaWarningEvent } from '@parley/common';
import { slaToastText } from './sla-toast';

const me = { id: 'a'.repeat(24), teamIds: ['b'.repeat(24)] } as MeResponse['user'];
const warning: SlaWarningEvent = {
  ticket: { id: 'c'.repeat(24), number: 42, subject: 'Where is my order?' },
  clock: 'firstResponse',
  dueAt: '2026-11-30T09:00:00.000Z',
  assigneeId: me.id,
  teamId: 'b'.repeat(24),
  share: 0.75,
};

describe('SLA toasts', () => {
  it('speak of the user’s own tickets: assigned to them, or unassigned in their team', () => {
    expect(slaToastText('warning', warning, me)).toMatch(/^SLA: the first response on #42 “Where is my order\?” is due at /);
    expect(slaToastText('breached', { ...warning, assigneeId: null }, me)).toMatch(/^SLA missed: the first response on #42/);
  });

  it('say nothing of other people’s tickets', () => {
    expect(slaToastText('warning', { ...warning, assigneeId: 'd'.repeat(24) }, me)).toBeNull();
    expect(slaToastText('warning', { ...warning, assigneeId: null, teamId: 'e'.repeat(24) }, me)).toBeNull();
    expect(slaToastText('warning', warning, undefined)).toBeNull();
  });
});
