import type { Ticket } from '@parley/common';
import { BotAvatar } from './bot-avatar';
import { botStrings } from './bot.strings';

/** How long after a hand-off its row still says so. */
const RECENT_HANDOFF_MS = 24 * 60 * 60_000;

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
