import type { Types } from 'mongoose';
import { Message, type MessageDoc } from '../tickets/message.model';
import type { OutboundDeps } from './outbound.processor';
import { enqueueOutbound, outboundJobId, outboundLock } from './outbound.queue';

/** Why a held message was not sent: the one it was to follow was not. */
export function followedFailure(reason: string | null | undefined): string {
  return `Not sent, because the reply it was to follow was not sent${reason ? ` (${reason})` : ''}`;
}

/** What became of a message held `waiting` for the one it follows ('unchanged': it was not waiting). */
export type HeldOutcome = 'queued' | 'failed' | 'held' | 'unchanged';

/**
 * A message held `waiting` until the one it follows (sendAfter) is sent: queued for delivery
 * once that one is sent or read, failed with the reason once that one failed (or is gone),
 * left waiting otherwise. Under the message's delivery lock, so a job that is holding it
 * right now finishes first; called when the message it follows settles, and by the sweep.
 */
export async function releaseHeld(messageId: Types.ObjectId, deps: Pick<OutboundDeps, 'events' | 'locks' | 'queues'>): Promise<HeldOutcome> {
  const jobId = outboundJobId(messageId, 'released');
  let ticketId: Types.ObjectId | null = null;
  const outcome = await deps.locks.withLock(outboundLock(messageId.toHexString()), async (): Promise<HeldOutcome> => {
    const held = await Message.findById(messageId).lean<MessageDoc>();
    if (!held || held.deliveryState !== 'waiting') return 'unchanged';
    ticketId = held.ticketId;
    const before = held.sendAfter ? await Message.findById(held.sendAfter, { deliveryState: 1, failureReason: 1 }).lean() : null;
    if (before && before.deliveryState !== 'sent' && before.deliveryState !== 'read' && before.deliveryState !== 'failed') return 'held';
    if (held.sendAfter && (!before || before.deliveryState === 'failed')) {
      await Message.updateOne({ _id: held._id }, { $set: { deliveryState: 'failed', failureReason: followedFailure(before?.failureReason) } });
      return 'failed';
    }
    await Message.updateOne({ _id: held._id }, { $set: { deliveryState: 'queued', failureReason: null, deliveryJobId: jobId } });
    return 'queued';
  });
  // Stored as queued: if Redis cannot take the job now, the outbound sweep queues it.
  if (outcome === 'queued') await enqueueOutbound(deps.queues, messageId, jobId).catch(() => undefined);
  if ((outcome === 'queued' || outcome === 'failed') && ticketId) deps.events.emit('message.updated', { ticketId, messageId });
  return outcome;
}
