import { slaMetrics, type SlaClock, type SlaMetric, type TicketSla } from '@parley/common';
import { strings } from '../i18n/strings';
import { absoluteTime } from './format';

const MINUTE = 60_000;

/** "45s", "23m", "5h 10m", "2d 3h": short enough for a list row. */
export function shortDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  // Under a minute, whole seconds rounded up: a target missed a moment ago reads −1s, not −0s.
  if (minutes < 1) return `${Math.ceil(Math.abs(ms) / 1000)}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** Owed and past due: breached and not done yet, or running past its due time before the server's timer marked it. */
const overdue = (clock: SlaClock, now: number) =>
  (clock.state === 'breached' && clock.completedAt === null) || (clock.state === 'running' && new Date(clock.dueAt).getTime() <= now);

/** The ticket's clocks that exist, each with its metric. */
const clocksOf = (sla: TicketSla) =>
  slaMetrics.flatMap((metric) => {
    const clock = sla[metric];
    return clock ? [{ metric, clock }] : [];
  });

export type SlaUrgency = 'ok' | 'warning' | 'breached' | 'paused';

/** A running clock turns amber with a quarter of its target (and at least ten minutes) left. */
const nearlyDue = (clock: SlaClock, now: number) => new Date(clock.dueAt).getTime() - now < Math.max(10 * MINUTE, clock.targetMinutes * MINUTE * 0.25);

function clockUrgency(clock: SlaClock, now: number): SlaUrgency | 'met' | 'cancelled' {
  if (overdue(clock, now)) return 'breached';
  if (clock.state === 'running') return nearlyDue(clock, now) ? 'warning' : 'ok';
  return clock.state;
}

export interface SlaFocus {
  metric: SlaMetric;
  urgency: SlaUrgency;
  /** Until due (positive) or since due (overdue), in ms; for a paused clock, the time it has left. */
  ms: number;
  label: string;
}

/** The clock an agent should look at first: the one most overdue, else the one due soonest, else a paused one. */
export function slaFocus(sla: TicketSla, now: number): SlaFocus | null {
  const clocks = clocksOf(sla);
  const name = (metric: SlaMetric) => strings.sla.metrics[metric];
  const late = clocks.filter(({ clock }) => overdue(clock, now)).sort((a, b) => a.clock.dueAt.localeCompare(b.clock.dueAt))[0];
  if (late) {
    const ms = now - new Date(late.clock.dueAt).getTime();
    return { metric: late.metric, urgency: 'breached', ms, label: strings.sla.overdueBy(name(late.metric), shortDuration(ms)) };
  }
  const running = clocks.filter(({ clock }) => clock.state === 'running').sort((a, b) => a.clock.dueAt.localeCompare(b.clock.dueAt))[0];
  if (running) {
    const ms = new Date(running.clock.dueAt).getTime() - now;
    return { metric: running.metric, urgency: nearlyDue(running.clock, now) ? 'warning' : 'ok', ms, label: strings.sla.dueIn(name(running.metric), shortDuration(ms)) };
  }
  const paused = clocks.find(({ clock }) => clock.state === 'paused');
  if (paused) {
    const ms = (paused.clock.remainingMinutes ?? 0) * MINUTE;
    return { metric: paused.metric, urgency: 'paused', ms, label: strings.sla.pausedWithLeft(name(paused.metric), shortDuration(ms)) };
  }
  return null;
}

/** The list row's countdown: the time to the most pressing target, coloured by urgency. */
export function SlaBadge({ sla, now }: { sla: TicketSla; now: number }) {
  const focus = slaFocus(sla, now);
  if (!focus) return null;
  const text =
    focus.urgency === 'breached' ? strings.sla.badgeOverdue(shortDuration(focus.ms)) : focus.urgency === 'paused' ? strings.sla.badgePaused : strings.sla.badgeDue(shortDuration(focus.ms));
  return (
    <span className={`sla-badge sla-${focus.urgency}`} title={focus.label} data-testid="sla-badge">
      <span aria-hidden="true">
        <svg className="sla-icon" viewBox="0 0 16 16" width="11" height="11">
          <circle cx="8" cy="9" r="6" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M8 5.5V9l2.2 1.6M6 1.5h4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>{' '}
        {text}
      </span>
      <span className="visually-hidden">{focus.label}</span>
    </span>
  );
}

function clockText(clock: SlaClock, now: number): string {
  const { states } = strings.sla;
  const due = new Date(clock.dueAt).getTime();
  if (overdue(clock, now)) return states.overdue(shortDuration(now - due));
  switch (clock.state) {
    case 'running':
      return states.running(shortDuration(due - now));
    case 'paused':
      return states.paused(shortDuration((clock.remainingMinutes ?? 0) * MINUTE));
    case 'met':
      return states.met(shortDuration((clock.remainingMinutes ?? 0) * MINUTE));
    case 'breached':
      return states.breached(shortDuration(new Date(clock.completedAt ?? clock.dueAt).getTime() - due));
    case 'cancelled':
      return states.cancelled;
  }
}

/** The conversation header's view of every clock: what is due when, what was met, what was breached. */
export function SlaClocks({ sla, now }: { sla: TicketSla; now: number }) {
  const clocks = clocksOf(sla);
  if (clocks.length === 0) return null;
  return (
    <section className="sla-clocks" aria-label={strings.sla.heading}>
      <dl>
        {clocks.map(({ metric, clock }) => (
          <div key={metric} className={`sla-clock sla-${clockUrgency(clock, now)}`} data-metric={metric} data-state={clock.state}>
            <dt>{strings.sla.metrics[metric]}</dt>
            <dd title={strings.sla.dueAt(absoluteTime(clock.dueAt))}>{clockText(clock, now)}</dd>
          </div>
        ))}
      </dl>
      {sla.policyName && <p className="muted sla-policy">{strings.sla.policy(sla.policyName, sla.businessHours)}</p>}
    </section>
  );
}
