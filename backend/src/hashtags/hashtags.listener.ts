import type { DomainEventBus, MessageEvent } from '../events/domain-events';
import type { Locks } from '../lib/locks';
import type { Logger } from '../logger';
import { Message, type MessageDoc } from '../tickets/message.model';
import { recordBrandReply, recordInboundPost } from './hashtags.service';

/**
 * Keeps the channels' hashtag knowledge from domain events, so neither ingest nor delivery
 * grows: a customer's public post as it is stored (message.created), our public reply once
 * the platform has it (message.sent), and the brand's replies written outside Parley (stored
 * from their echo as sent outbound messages: message.created). Runs in every process, since
 * each emits the events of the writes it makes.
 */
export function startHashtagListener(events: DomainEventBus, locks: Locks, log: Logger): () => void {
  const run = (event: MessageEvent, work: (message: MessageDoc) => Promise<string[]>) => {
    const handle = async () => {
      const message = event.message ?? (await Message.findById(event.messageId).lean<MessageDoc>());
      if (!message || message.visibility !== 'public') return;
      const tags = await work(message);
      if (tags.length > 0) log.debug({ messageId: message._id.toHexString(), tags }, 'hashtags recorded');
    };
    handle().catch((error: unknown) => log.warn({ err: error, messageId: event.messageId.toHexString() }, 'could not record the hashtags of a message'));
  };

  const unsubscribe = [
    events.on('message.created', (event) =>
      run(event, (message) => {
        if (message.direction === 'inbound') return recordInboundPost(message, locks);
        // Only what is out there already: our own replies count once the platform confirms them.
        return message.deliveryState === 'sent' || message.deliveryState === 'read' ? recordBrandReply(message, locks) : Promise.resolve([]);
      }),
    ),
    events.on('message.sent', (event) => run(event, (message) => recordBrandReply(message, locks))),
  ];
  return () => unsubscribe.forEach((off) => off());
}
