import type { MeResponse, SlaBreachedEvent, SlaMetric, SlaWarningEvent } from '@parley/common';

const clockNames: Record<SlaMetric, string> = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };
const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One of the signed-in user's tickets: assigned to them, or unassigned in one of their teams (supervisors hear of all). */
function isMine(event: SlaWarningEvent | SlaBreachedEvent, me: MeResponse['user']): boolean {
  if (event.assigneeId) return event.assigneeId === me.id;
  return event.teamId !== null && me.teamIds.includes(event.teamId);
}

/** What the inbox says when an SLA clock of one of the user's tickets warns or breaches; null for someone else's ticket. */
export function slaToastText(kind: 'warning' | 'breached', event: SlaWarningEvent | SlaBreachedEvent, me: MeResponse['user'] | undefined): string | null {
  if (!me || !isMine(event, me)) return null;
  const ticket = `#${event.ticket.number} “${event.ticket.subject}”`;
  const clock = clockNames[event.clock];
  return kind === 'warning' ? `SLA: the ${clock} on ${ticket} is due at ${time(event.dueAt)}.` : `SLA missed: the ${clock} on ${ticket} was due at ${time(event.dueAt)}.`;
}
