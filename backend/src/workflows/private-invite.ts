import type { MessageDoc } from '../tickets/message.model';
import { guardrailFindingsFor } from '../outbound/guardrails';
import { inviteLanguageOf, privateInviteSettingsSchema, renderPrivateInvite } from '@parley/common';
import type { ChannelDoc } from '../channels/channel.model';
import { connectorFor } from '../connectors';
import { Contact } from '../contacts/contact.model';
import { Message } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';

/** What the invitation calls the customer: the first word of their name, unless that is a handle. */
function firstNameOf(name: string | undefined): string {
  const first = (name ?? '').trim().split(/\s+/)[0] ?? '';
  return first.startsWith('@') ? '' : first;
}

/** The platform's link for the customer to write to the brand privately, where it has one. */
export function privateLinkOf(channel: ChannelDoc): string | null {
  return connectorFor(channel.kind).privatePath?.messageLink({ externalAccountId: channel.externalAccountId, settings: channel.settings }) ?? null;
}

/**
 * The public invitation to write privately, for when the private path cannot open: the
 * channel's text (settings.privateInvite) in the ticket's language, which is that of the
 * customer's latest message (English when it has none), with the platform's link.
 */
export async function invitationFor(ticket: Pick<TicketDoc, '_id' | 'contactId'>, channel: ChannelDoc): Promise<string> {
  const [latest, contact] = await Promise.all([
    Message.findOne({ ticketId: ticket._id, direction: 'inbound' }, { language: 1 }).sort({ sentAt: -1 }).lean(),
    Contact.findById(ticket.contactId, { name: 1 }).lean(),
  ]);
  const settings = privateInviteSettingsSchema.safeParse(channel.settings.privateInvite);
  return renderPrivateInvite(settings.success ? settings.data : undefined, inviteLanguageOf(latest?.language), {
    firstName: firstNameOf(contact?.name),
    link: privateLinkOf(channel),
  });
}

/**
 * The invitation is the brand's own configured text: its guardrail warnings (the platform's
 * link outside the link allow-list, say) count as looked at; a block still holds it back at
 * send time, with the reason.
 */
export async function invitationConfirmed(ticket: TicketDoc, target: MessageDoc, text: string): Promise<string[]> {
  const { findings } = await guardrailFindingsFor({ ticket, replyTo: target, text });
  return [...new Set(findings.flatMap((finding) => (finding.severity === 'warn' && finding.confirmKey ? [finding.confirmKey] : [])))];
}
