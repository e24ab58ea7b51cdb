import { useState } from 'react';
import type { BotLearnt, TicketDetail } from '@parley/common';
import { useBotAction } from '../api/bot.queries';
import { ApiError } from '../api/client';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useToast } from '../components/toast';
import { absoluteTime } from '../inbox/format';
import { BotAvatar } from './bot-avatar';
import { botStrings } from './bot.strings';

const t = botStrings.ticket;

/** What the bot learnt, as a compact definition list; what it did not learn says so. */
export function LearntDetails({ learnt, className = 'learnt' }: { learnt: BotLearnt; className?: string }) {
  const rows: [string, string | null][] = [
    [botStrings.learnt.intent, learnt.intent],
    [botStrings.learnt.reference, learnt.reference],
    [botStrings.learnt.email, learnt.email],
    [botStrings.learnt.language, learnt.language && learnt.language !== 'und' ? learnt.language.toUpperCase() : null],
  ];
  return (
    <dl className={className} aria-label={botStrings.learnt.title}>
      {rows.map(([label, value]) => (
        <div key={label} className="learnt-row">
          <dt>{label}</dt>
          <dd className={value ? undefined : 'muted'} dir="auto">
            {value ?? botStrings.learnt.none}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The bot's part in a ticket, at the top of the conversation: while it holds the conversation, a
 * notice and "Take over"; once it handed over, why, when, its one-line summary and what it learnt,
 * and "Hand back to the bot". Nothing when the bot never spoke here.
 */
export function HandoffCard({ ticket }: { ticket: TicketDetail }) {
  const toast = useToast();
  const action = useBotAction(ticket.id);
  const [confirming, setConfirming] = useState(false);
  const run = (which: 'handoff' | 'resume') => action.mutate(which, { onError: (error) => toast(t.failed(error instanceof ApiError ? error.message : String(error))) });

  if (ticket.botState === 'none') return null;
  if (ticket.botState === 'active') {
    return (
      <section className="bot-card bot-card-active" aria-label={t.active}>
        <div className="bot-card-head">
          <BotAvatar size={22} />
          <p className="bot-card-line">
            <strong>{t.active}</strong> <span className="muted">{t.activeHint}</span>
          </p>
          <button type="button" className="button primary-inline small" disabled={action.isPending} onClick={() => run('handoff')}>
            {t.takeOver}
          </button>
        </div>
      </section>
    );
  }
  const { handoff } = ticket;
  return (
    <section className="bot-card bot-card-handoff" aria-label={t.handedOver}>
      <div className="bot-card-head">
        <BotAvatar size={22} />
        <p className="bot-card-line">
          <strong>{t.handedOver}</strong>
          {handoff && (
            <>
              {' · '}
              <span className={`handoff-reason handoff-reason-${handoff.reason}`}>{botStrings.reasonOf(handoff.reason)}</span>
              {' · '}
              <time dateTime={handoff.at}>{absoluteTime(handoff.at)}</time>
            </>
          )}
        </p>
        <button type="button" className="button secondary small" disabled={action.isPending} onClick={() => setConfirming(true)}>
          {t.handBack}
        </button>
      </div>
      {handoff?.summary && (
        <p className="bot-card-summary" dir="auto">
          <span className="visually-hidden">{t.summary}: </span>
          {handoff.summary}
        </p>
      )}
      {handoff && <LearntDetails learnt={handoff.learnt} />}
      <ConfirmDialog
        subject={confirming ? ticket : undefined}
        id="hand-back"
        title={t.confirmTitle}
        body={() => t.confirmBody}
        confirmLabel={t.confirm}
        cancelLabel={t.cancel}
        tone="primary"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          run('resume');
        }}
      />
    </section>
  );
}
