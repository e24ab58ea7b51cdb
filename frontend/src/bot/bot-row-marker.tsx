import type { Ticket } from '@parley/common';
import { BotAvatar } from './bot-avatar';
import { botStrings } from './bot.strings';
import { recentHandoff } from './bot-view';

/** The bot's face on a ticket row's first line while the bot holds the conversation. */
export function BotActiveMarker({ ticket }: { ticket: Pick<Ticket, 'botState'> }) {
  if (ticket.botState !== 'active') return null;
  return (
    <span className="bot-row-active" title={botStrings.ticket.rowActive}>
      <BotAvatar size={16} />
      <span className="visually-hidden">{botStrings.ticket.rowActive}</span>
    </span>
  );
}

/** "From bot" on a ticket row's last line for a day after the bot handed it over, with why on hover (and for screen readers). */
export function BotHandoffMarker({ ticket, now }: { ticket: Pick<Ticket, 'botState' | 'handoff'>; now: number }) {
  const handoff = recentHandoff(ticket, now);
  if (!handoff) return null;
  const reason = botStrings.ticket.rowHandedOff(botStrings.reasonOf(handoff.reason));
  return (
    <span className="badge bot-handed-off" title={reason}>
      {botStrings.fromBot}
      <span className="visually-hidden">: {reason}</span>
    </span>
  );
}
