import { useId, useState } from 'react';
import type { BotStats } from '@parley/common';
import { useBotStats } from '../api/bot.queries';
import { botStrings } from './bot.strings';
import { periodWindow, reasonRows, statsPeriods, type StatsPeriod } from './bot-view';

const t = botStrings.page;

const minutes = (value: number | null) => (value === null ? t.none : t.minutes(value));

function Bar({ value, max, className = '' }: { value: number; max: number; className?: string }) {
  return (
    <span className="reason-bar-track" aria-hidden="true">
      <span className={`reason-bar-fill ${className}`} style={{ width: `${max > 0 ? Math.max(2, (value / max) * 100) : 0}%` }} />
    </span>
  );
}

function Figures({ stats }: { stats: BotStats }) {
  const reasons = reasonRows(stats.handoffsByReason);
  const most = Math.max(0, ...reasons.map(([, count]) => count));
  const slowest = Math.max(0, stats.medianFirstResponseMinutes ?? 0, stats.medianFirstHumanResponseMinutes ?? 0);
  return (
    <>
      <dl className="bot-figures">
        <div className="bot-figure">
          <dt>
            <strong>{t.conversations}</strong>
            {t.conversationsHint}
          </dt>
          <dd>{stats.conversations}</dd>
        </div>
        <div className="bot-figure">
          <dt>
            <strong>{t.containment}</strong>
            {t.containmentHint(stats.contained)}
          </dt>
          <dd>{stats.containmentRate === null ? t.none : t.percent(stats.containmentRate)}</dd>
        </div>
        <div className="bot-figure">
          <dt>
            <strong>{t.handedOff}</strong>
            {t.handedOffHint}
          </dt>
          <dd>{stats.handedOff}</dd>
        </div>
      </dl>
      <div className="bot-stats-lower">
        <section aria-labelledby="bot-by-reason">
          <h3 id="bot-by-reason">{t.byReason}</h3>
          {reasons.length === 0 ? (
            <p className="muted">{t.noHandoffs}</p>
          ) : (
            <ul className="reason-bars">
              {reasons.map(([reason, count]) => (
                <li key={reason} className="reason-bar">
                  <span>{botStrings.reasonOf(reason)}</span>
                  <Bar value={count} max={most} />
                  <span className="reason-bar-count">{count}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="bot-response">
          <h3 id="bot-response">{t.firstResponses}</h3>
          <ul className="response-compare">
            <li>
              <span>
                {t.firstResponse}: <strong>{minutes(stats.medianFirstResponseMinutes)}</strong>
              </span>
              {stats.medianFirstResponseMinutes !== null && <Bar value={stats.medianFirstResponseMinutes} max={slowest} />}
            </li>
            <li>
              <span>
                {t.firstHumanResponse}: <strong>{minutes(stats.medianFirstHumanResponseMinutes)}</strong>
              </span>
              {stats.medianFirstHumanResponseMinutes !== null && <Bar value={stats.medianFirstHumanResponseMinutes} max={slowest} className="human" />}
            </li>
          </ul>
        </section>
      </div>
    </>
  );
}

/** How the bot did in the chosen period: conversations, containment, hand-offs and their reasons, first responses. */
export function BotStatsPanel() {
  const id = useId();
  const [period, setPeriod] = useState<StatsPeriod>('week');
  const [span, setSpan] = useState(() => periodWindow('week'));
  const stats = useBotStats(span.from, span.to);
  const choose = (next: StatsPeriod) => {
    setPeriod(next);
    setSpan(periodWindow(next));
  };
  return (
    <section className="bot-section" aria-labelledby={`${id}-title`}>
      <div className="bot-section-head">
        <h2 id={`${id}-title`}>{t.statsTitle}</h2>
        <fieldset className="period-picker">
          <legend>{t.period}</legend>
          {statsPeriods.map((option) => (
            <label key={option} className={`mode-option${period === option ? ' checked' : ''}`}>
              <input type="radio" name={`${id}-period`} value={option} checked={period === option} onChange={() => choose(option)} />
              {t.periods[option]}
            </label>
          ))}
        </fieldset>
      </div>
      {stats.isPending && <p role="status">{t.loading}</p>}
      {stats.isError && <p role="alert">{t.failed}</p>}
      {stats.data && <Figures stats={stats.data} />}
    </section>
  );
}
