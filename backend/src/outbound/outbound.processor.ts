import type { Job } from 'bull';
import { channelContext } from '../channels/channels.service';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import type { Config } from '../config';
import { connectorFor } from '../connectors';
import { Contact } from '../contacts/contact.model';
import type { DomainEventBus } from '../events/domain-events';
import type { Logger } from '../logger';
import type { QueueFactory } from '../queue/queue.factory';
import { Message, type MessageDoc } from '../tickets/message.model';
import { Ticket } from '../tickets/ticket.model';
import type { OutboundJob } from './outbound.queue';

class PermanentFailure extends Error {}

async function recipientOf(message: MessageDoc, channel: ChannelDoc): Promise<string | undefined> {
  const ticket = message.ticketId ? await Ticket.findById(message.ticketId).lean() : null;
  const contact = ticket ? await Contact.findById(ticket.contactId).lean() : null;
  return contact?.identities.find((identity) => identity.kind === channel.kind)?.externalId;
}

/**
 * Sends one queued reply through its channel's connector. Only queued public or private
 * messages ever leave: notes, inbound messages and messages already sent never do.
 */
export async function deliverMessage(messageId: string, config: Config, events: DomainEventBus, finalAttempt: boolean): Promise<void> {
  const message = await Message.findById(messageId).lean<MessageDoc>();
  if (!message || message.direction !== 'outbound' || message.deliveryState !== 'queued') return;
  if (message.visibility !== 'public' && message.visibility !== 'private') return;

  const fail = async (reason: string) => {
    await Message.updateOne({ _id: message._id, deliveryState: 'queued' }, { $set: { deliveryState: 'failed', failureReason: reason } });
    if (message.ticketId) events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  };

  try {
    const channel = await Channel.findById(message.channelId).lean<ChannelDoc>();
    if (!channel) throw new PermanentFailure('The channel of this conversation was removed');
    if (channel.status !== 'active') throw new PermanentFailure(`The channel is ${channel.status.replace('_', ' ')}`);
    const recipient = message.visibility === 'private' ? await recipientOf(message, channel) : undefined;
    if (message.visibility === 'private' && !recipient) throw new PermanentFailure('The customer has no identity on this channel to write to');

    const sent = await connectorFor(channel.kind).send(channelContext(channel, config.CREDENTIALS_KEY), {
      messageId: message._id.toHexString(),
      text: message.text,
      visibility: message.visibility,
      sentBy: message.authorUserId ? 'agent' : 'bot',
      ...(message.externalParentId ? { inReplyToExternalId: message.externalParentId } : {}),
      ...(recipient ? { recipientExternalId: recipient } : {}),
    });
    await Message.updateOne({ _id: message._id }, { $set: { deliveryState: 'sent', externalId: sent.externalId, failureReason: null } });
    if (message.ticketId) events.emit('message.updated', { ticketId: message.ticketId, messageId: message._id });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentFailure || finalAttempt) {
      await fail(reason);
      return;
    }
    throw error;
  }
}

export function startOutboundProcessor(queues: QueueFactory, config: Config, events: DomainEventBus, log: Logger): void {
  queues.process<OutboundJob>('outbound', 4, async (job: Job<OutboundJob>) => {
    await deliverMessage(job.data.messageId, config, events, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    log.debug({ messageId: job.data.messageId }, 'outbound message handled');
  });
}
