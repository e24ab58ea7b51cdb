import type { Attachment, Message as MessageShape, MessageAuthor, MoveToPrivate, Ticket as TicketShape } from '@parley/common';
import { isWebUrl } from '../lib/web-url';
import { attachmentPath } from '../media/media.paths';
import { slaOf } from '../sla/sla.codec';
import { presentSla } from '../sla/sla.presenter';
import type { MessageDoc } from './message.model';
import type { TicketDoc, TicketMoveDoc } from './ticket.model';

export function presentMove(move: TicketMoveDoc | undefined): MoveToPrivate | null {
  if (!move) return null;
  return {
    state: move.state,
    publicMessageId: move.publicMessageId.toHexString(),
    privateMessageId: move.privateMessageId?.toHexString() ?? null,
    invitationMessageId: move.invitationMessageId?.toHexString() ?? null,
    startedAt: move.startedAt.toISOString(),
    startedBy: { kind: move.startedBy.kind, id: move.startedBy.id?.toHexString() ?? null, name: move.startedBy.name },
    reason: move.reason,
  };
}

export function presentTicket(ticket: TicketDoc): TicketShape {
  return {
    id: ticket._id.toHexString(),
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    priorityReason: ticket.priorityReason ?? null,
    prioritySource: ticket.prioritySource ?? 'triage',
    language: ticket.language ?? null,
    sentiment: ticket.sentiment ? { score: ticket.sentiment.score, label: ticket.sentiment.label } : null,
    influenceTier: ticket.influenceTier ?? 'standard',
    reach: ticket.reach ?? 0,
    channelId: ticket.channelId.toHexString(),
    channelKind: ticket.channelKind,
    origin: ticket.origin,
    contactId: ticket.contactId.toHexString(),
    teamId: ticket.teamId?.toHexString() ?? null,
    assigneeId: ticket.assigneeId?.toHexString() ?? null,
    tags: ticket.tags,
    unreadCount: ticket.unreadCount,
    messageCount: ticket.messageCount,
    lastMessageAt: ticket.lastMessageAt.toISOString(),
    lastMessagePreview: ticket.lastMessagePreview,
    sla: presentSla(slaOf(ticket)),
    moveToPrivate: presentMove(ticket.moveToPrivate),
    botState: ticket.botState ?? 'none',
    handoff: ticket.handoff
      ? {
          at: ticket.handoff.at.toISOString(),
          reason: ticket.handoff.reason,
          summary: ticket.handoff.summary,
          learnt: { intent: ticket.handoff.learnt.intent ?? null, reference: ticket.handoff.learnt.reference ?? null, email: ticket.handoff.learnt.email ?? null, language: ticket.handoff.learnt.language ?? null },
        }
      : null,
    firstResponseAt: ticket.firstResponseAt?.toISOString() ?? null,
    firstHumanResponseAt: ticket.firstHumanResponseAt?.toISOString() ?? null,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

/** Placeholder ids of unsent replies ("parley:<id>") are ours, not the platform's. */
const platformId = (externalId: string) => (externalId.startsWith('parley:') ? null : externalId);

/** An attachment as the browser gets it: its URL is our media proxy's, never the platform's. */
function presentAttachment(message: MessageDoc, attachment: Attachment, index: number): Attachment {
  const { url, ...rest } = attachment;
  const ticketId = message.ticketId?.toHexString();
  return url && isWebUrl(url) && ticketId ? { ...rest, url: attachmentPath(ticketId, message._id.toHexString(), index) } : rest;
}

/** Who wrote a message: the customer (inbound), an agent (a user), the bot, or Parley itself (a rule, a workflow). */
function authorOf(message: MessageDoc): MessageAuthor {
  if (message.direction === 'inbound') return { type: 'customer', name: null, userId: null };
  if (message.authorUserId) return { type: 'agent', name: message.authorName ?? null, userId: message.authorUserId.toHexString() };
  return { type: message.authorType === 'bot' ? 'bot' : 'system', name: message.authorName ?? null, userId: null };
}

export function presentMessage(message: MessageDoc): MessageShape {
  return {
    id: message._id.toHexString(),
    ticketId: message.ticketId?.toHexString() ?? '',
    channelId: message.channelId.toHexString(),
    direction: message.direction,
    visibility: message.visibility,
    text: message.text,
    attachments: message.attachments.map((attachment, index) => presentAttachment(message, attachment, index)),
    contactId: message.contactId?.toHexString() ?? null,
    authorUserId: message.authorUserId?.toHexString() ?? null,
    authorName: message.authorName ?? null,
    author: authorOf(message),
    quickReplies: message.quickReplies?.map(({ title, payload }) => ({ title, payload })) ?? [],
    externalId: platformId(message.externalId),
    externalThreadId: message.externalThreadId,
    externalParentId: message.externalParentId,
    deliveryState: message.deliveryState,
    failureReason: message.failureReason,
    approval: message.approval
      ? {
          state: message.approval.state,
          requestedAt: message.approval.requestedAt.toISOString(),
          decidedAt: message.approval.decidedAt?.toISOString() ?? null,
          decidedById: message.approval.decidedById?.toHexString() ?? null,
          decidedByName: message.approval.decidedByName ?? null,
          comment: message.approval.comment ?? null,
        }
      : null,
    deleted: message.deleted,
    edited: message.previousTexts.length > 0,
    language: message.language,
    sentiment: message.sentiment ? { score: message.sentiment.score, label: message.sentiment.label } : null,
    engagement: message.engagement ? { likes: message.engagement.likes ?? 0, replies: message.engagement.replies ?? 0, reposts: message.engagement.reposts ?? 0, quotes: message.engagement.quotes ?? 0 } : null,
    sentAt: message.sentAt.toISOString(),
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
  };
}
