import { EventEmitter } from 'node:events';
import type { Types } from 'mongoose';

/**
 * Typed domain events, emitted after the write they describe has succeeded. Realtime,
 * SLA, bot and audit code listen here; nothing pushes to a socket from a handler.
 */
export interface DomainEvents {
  'ticket.created': { ticketId: Types.ObjectId };
  'ticket.updated': { ticketId: Types.ObjectId };
  'message.created': { ticketId: Types.ObjectId; messageId: Types.ObjectId };
  'message.updated': { ticketId: Types.ObjectId; messageId: Types.ObjectId };
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
