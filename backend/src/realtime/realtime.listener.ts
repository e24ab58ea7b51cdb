import { Emitter } from '@socket.io/redis-emitter';
import { rooms, type ServerToClientEvents } from '@parley/common';
import type { Types } from 'mongoose';
import { Channel, type ChannelDoc } from '../channels/channel.model';
import { presentChannel } from '../channels/channel.presenter';
import type { DomainEventBus, DomainEvents, MessageEvent, TicketEvent } from '../events/domain-events';
import type { Logger } from '../logger';
import type { RedisHandle } from '../redis';
import { presentSlaBreach, presentSlaWarning } from '../sla/sla.presenter';
import { pendingApprovalCount } from '../tickets/approval.service';
import { Message, type MessageDoc } from '../tickets/message.model';
import { presentMessage, presentTicket } from '../tickets/ticket.presenter';
import { Ticket, type TicketDoc } from '../tickets/ticket.model';
import { Alert, type AlertDoc } from '../triage/alert.model';
import { presentAlert } from '../triage/alert.presenter';

/** Who may see a ticket's events: its team, its assignee, and the supervisors. */
export function roomsOf(ticket: TicketDoc): string[] {
  const targets: string[] = [rooms.supervisors];
  if (ticket.teamId) targets.push(rooms.team(ticket.teamId.toHexString()));
  if (ticket.assigneeId) targets.push(rooms.user(ticket.assigneeId.toHexString()));
  return targets;
}

/**
 * Turns domain events (emitted after their writes) into socket events. It publishes
 * through Redis with the socket.io emitter, so a worker without a socket server of its
 * own reaches the agents connected to any api process.
 */
export function startRealtimeListener(events: DomainEventBus, redis: RedisHandle, prefix: string, log: Logger, publicUrl?: string): () => void {
  const emitter = new Emitter<ServerToClientEvents>(redis.publisher('socket.io-emitter'), { key: `${prefix}:socket.io` });

  const publish = (what: string, send: () => Promise<void>) => {
    send().catch((error: unknown) => log.warn({ err: error, event: what }, 'could not publish a realtime event'));
  };

  const ticketEvent = (name: 'ticket.created' | 'ticket.updated') => (event: TicketEvent) =>
    publish(name, async () => {
      const ticket = event.ticket ?? (await Ticket.findById(event.ticketId).lean<TicketDoc>());
      if (ticket) emitter.to(roomsOf(ticket)).emit(name, { ticket: presentTicket(ticket) });
    });

  const messageEvent = (name: 'message.created' | 'message.updated') => (event: MessageEvent) =>
    publish(name, async () => {
      const [ticket, message] = await Promise.all([
        event.ticket ?? Ticket.findById(event.ticketId).lean<TicketDoc>(),
        event.message ?? Message.findById(event.messageId).lean<MessageDoc>(),
      ]);
      if (ticket && message) emitter.to(roomsOf(ticket)).emit(name, { ticketId: event.ticketId.toHexString(), message: presentMessage(message) });
    });

  // The supervisors keep the count of replies waiting; the agent who wrote one hears of its fate.
  const approvalEvent = (event: MessageEvent) =>
    publish('approval.updated', async () => {
      const [message, pendingCount] = await Promise.all([event.message ?? Message.findById(event.messageId).lean<MessageDoc>(), pendingApprovalCount()]);
      if (!message) return;
      const targets = [rooms.supervisors, ...(message.authorUserId ? [rooms.user(message.authorUserId.toHexString())] : [])];
      emitter.to(targets).emit('approval.updated', { ticketId: event.ticketId.toHexString(), message: presentMessage(message), pendingCount });
    });

  const messageRemoved = (event: DomainEvents['message.removed']) =>
    publish('message.removed', async () => {
      const ticket = await Ticket.findById(event.ticketId).lean<TicketDoc>();
      if (ticket) emitter.to(roomsOf(ticket)).emit('message.removed', { ticketId: event.ticketId.toHexString(), messageId: event.messageId.toHexString() });
    });

  const channelEvent = ({ channelId }: { channelId: Types.ObjectId }) =>
    publish('channel.updated', async () => {
      const channel = await Channel.findById(channelId).lean<ChannelDoc>();
      // Admins sit in the supervisors' room too.
      if (channel) emitter.to(rooms.supervisors).emit('channel.updated', { channel: presentChannel(channel, publicUrl) });
    });

  // Storms are the supervisors' to see (admins sit in their room too).
  const alertEvent = (name: 'alert.storm' | 'alert.storm_over' | 'alert.updated') => (event: DomainEvents['alert.storm']) =>
    publish(name, async () => {
      const alert = event.alert ?? (await Alert.findById(event.alertId).lean<AlertDoc>());
      if (alert) emitter.to(rooms.supervisors).emit(name, { alert: presentAlert(alert) });
    });

  // An SLA notice goes to whoever has the ticket (its team while nobody does) and to the supervisors.
  const slaRooms = (ticket: TicketDoc) => {
    const owner = ticket.assigneeId ? rooms.user(ticket.assigneeId.toHexString()) : ticket.teamId ? rooms.team(ticket.teamId.toHexString()) : null;
    return owner ? [rooms.supervisors, owner] : [rooms.supervisors];
  };
  const slaWarning = (event: DomainEvents['sla.warning']) =>
    publish('sla.warning', () => Promise.resolve(void emitter.to(slaRooms(event.ticket)).emit('sla.warning', presentSlaWarning(event))));
  const slaBreached = (event: DomainEvents['sla.breached']) =>
    publish('sla.breached', () => Promise.resolve(void emitter.to(slaRooms(event.ticket)).emit('sla.breached', presentSlaBreach(event))));

  const unsubscribe = [
    events.on('sla.warning', slaWarning),
    events.on('sla.breached', slaBreached),
    events.on('alert.storm', alertEvent('alert.storm')),
    events.on('alert.storm_over', alertEvent('alert.storm_over')),
    events.on('alert.updated', alertEvent('alert.updated')),
    events.on('channel.updated', channelEvent),
    events.on('ticket.created', ticketEvent('ticket.created')),
    events.on('ticket.updated', ticketEvent('ticket.updated')),
    events.on('message.created', messageEvent('message.created')),
    events.on('message.updated', messageEvent('message.updated')),
    events.on('message.removed', messageRemoved),
    events.on('approval.updated', approvalEvent),
  ];
  return () => unsubscribe.forEach((off) => off());
}
