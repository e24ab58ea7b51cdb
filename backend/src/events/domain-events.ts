import { EventEmitter } from 'node:events';
import type { Types } from 'mongoose';
import type { SlaMetric } from '@parley/common';
import type { MessageDoc } from '../tickets/message.model';
import type { TicketDoc } from '../tickets/ticket.model';
import type { AlertDoc } from '../triage/alert.model';

/**
 * Typed domain events, emitted after the write they describe has succeeded. Realtime,
 * SLA, bot and audit code listen here; nothing pushes to a socket from a handler.
 */
export interface DomainEvents {
  'ticket.created': TicketEvent;
  'ticket.updated': TicketEvent;
  'message.created': MessageEvent;
  'message.updated': MessageEvent;
  /** Our reply reached the platform (its send answered, or its echo showed it): emitted besides message.updated. */
  'message.sent': MessageEvent;
  /** A public reply entered the approval queue, or a supervisor approved or rejected it. */
  'approval.updated': MessageEvent;
  /** A message is gone from its thread (a copy merged into the message it duplicated). */
  'message.removed': { ticketId: Types.ObjectId; messageId: Types.ObjectId };
  /** A channel's status changed outside an admin's request (a token expired). */
  'channel.updated': { channelId: Types.ObjectId };
  /** A storm of negative mentions began (once per storm), or ended. */
  'alert.storm': AlertEvent;
  'alert.storm_over': AlertEvent;
  /** A storm's alert changed while it lasts (its figures, what it is about). */
  'alert.updated': AlertEvent;
  /** An SLA clock passed its policy's warnAtShare of its span, or its due time (once per ticket, clock and due time). */
  'sla.warning': SlaNoticeEvent & { share: number };
  'sla.breached': SlaNoticeEvent & { breachedAt: Date };
}

/**
 * The ids of what changed. The writer may add the documents as they are after its write,
 * which spares listeners a read; without them a listener reads what it needs.
 */
export interface TicketEvent {
  ticketId: Types.ObjectId;
  ticket?: TicketDoc;
}

export interface MessageEvent {
  ticketId: Types.ObjectId;
  messageId: Types.ObjectId;
  message?: MessageDoc;
  ticket?: TicketDoc;
}

/** The ticket as it was when the clock warned or breached (before any escalation). */
export interface SlaNoticeEvent {
  ticketId: Types.ObjectId;
  ticket: TicketDoc;
  clock: SlaMetric;
  dueAt: Date;
}

export interface AlertEvent {
  alertId: Types.ObjectId;
  alert?: AlertDoc;
}

export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
