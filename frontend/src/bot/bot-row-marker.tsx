import type { Ticket } from '@parley/common';
import { BotBadge } from './bot-avatar';
import { botStrings } from './bot.strings';

/** How long after a hand-off its row still says so. */
const RECENT_HANDOFF_MS = 24 * 60 * 60_000;

/** A ticket row's word about the bot: "Bot" while it holds the conversation, "From bot" (why, on hover) for a day after it handed over. */
export function BotRowMarker({ ticket, now }: { ticket: Pick<Ticket, 'botState' | 'handoff'>; now: number }) {
  if (ticket.botState === 'active') return <BotBadge label={botStrings.badge} title={botStrings.ticket.rowActive} />;
  const { handoff } = ticket;
  if (ticket.botState !== 'handed_off' || !handoff || now - new Date(handoff.at).getTime() > RECENT_HANDOFF_MS) return null;
  const reason = botStrings.ticket.rowHandedOff(botStrings.reasonOf(handoff.reason));
  return (
    <span className="badge bot-handed-off" title={reason}>
      {botStrings.fromBot}
      <span className="visually-hidden">: {reason}</span>
    </span>
  );
}
