import { Types } from 'mongoose';
import type { Logger } from '../logger';
import type { MessageDoc } from '../tickets/message.model';
import { isCustomerMessage, runRules, type RulesEngineDeps } from './rules.engine';

export interface RulesJob {
  messageId: string;
}

/** The rules job of a message has the message's id: the same message queued twice is one job. */
export const rulesJobId = (messageId: Types.ObjectId) => `rules:${messageId.toHexString()}`;

/**
 * The worker's side of automation rules: every customer message stored by ingest (its
 * message.created, and for an opening message ticket.created, which triggersOf derives) is
 * queued for the rules, so they run outside ingest, are retried with backoff when the
 * database or Redis fail under them, and never hold up the next webhook.
 */
export function startRulesProcessor(deps: RulesEngineDeps, log: Logger): () => void {
  deps.queues.process<RulesJob>('rules', 4, async (job) => {
    const outcome = await runRules(new Types.ObjectId(job.data.messageId), deps);
    if (outcome.applied.length > 0) log.info({ messageId: job.data.messageId, rules: outcome.applied.map((rule) => rule.name) }, 'rules applied');
    return outcome;
  });

  const queue = async (messageId: Types.ObjectId, message: MessageDoc | undefined) => {
    // Ingest hands over the message it stored; anything else (an agent's reply, the brand's echo) is no customer's.
    if (message && !isCustomerMessage(message)) return;
    if ((await deps.rules.active()).length === 0) return;
    await deps.queues.queue<RulesJob>('rules').add({ messageId: messageId.toHexString() }, { jobId: rulesJobId(messageId), attempts: 8, backoff: { type: 'jittered' } });
  };
  return deps.events.on('message.created', ({ messageId, message }) => {
    queue(messageId, message).catch((error: unknown) => log.error({ err: error, messageId: messageId.toHexString() }, 'could not queue the rules of a message'));
  });
}
