import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Message, Role, TicketDetail, TicketUpdate } from '@parley/common';
import { useDecideApproval } from '../api/approvals.queries';
import { ApiError } from '../api/client';
import { useMarkRead, useMessages, useRetryMessage, useTicket, type ChannelSummary } from '../api/tickets.queries';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { useRealtime } from '../realtime/socket';
import { Composer, type ComposerHandle } from './composer';
import { ContactPanel } from './contact-panel';
import { MoveState, moveStepsOf } from './move-to-private';
import { SlaClocks } from './sla';
import { Thread } from './thread';
import { useNow } from './use-now';
import { LanguageBadge, SentimentBadge, TierBadge } from '../triage/triage-badges';
import { triageStrings } from '../triage/triage.strings';
import { HandoffCard } from '../bot/handoff-card';

interface ConversationProps {
  ticketId: string;
  viewId: string;
  me: { id: string; name: string; role: Role };
  channels: Map<string, ChannelSummary>;
  update: (ticket: TicketDetail, patch: TicketUpdate) => void;
  composerRef: RefObject<ComposerHandle | null>;
}

const errorText = (error: unknown) => (error instanceof ApiError ? error.message : String(error));
const imitatedOf = (value: unknown) => (value === 'x' || value === 'facebook' || value === 'instagram' ? value : undefined);

/** Tells the others this agent has the ticket open, and who else has. */
function usePresence(ticketId: string, meId: string) {
  const { socket, presence } = useRealtime();
  useEffect(() => {
    if (!socket) return;
    const view = () => socket.emit('ticket.view', { ticketId });
    if (socket.connected) view();
    socket.on('connect', view);
    return () => {
      socket.off('connect', view);
      socket.emit('ticket.leave', { ticketId });
    };
  }, [socket, ticketId]);
  const others = (presence.get(ticketId) ?? []).filter((viewer) => viewer.userId !== meId);
  const onTyping = (typing: boolean) => socket?.emit('ticket.typing', { ticketId, typing });
  return { others, onTyping };
}

function TagEditor({ ticket, update }: { ticket: TicketDetail; update: ConversationProps['update'] }) {
  const [tag, setTag] = useState('');
  return (
    <div className="tag-editor">
      <ul className="tag-list" aria-label={strings.ticket.tags}>
        {ticket.tags.map((existing) => (
          <li key={existing} className="tag">
            <span dir="auto">{existing}</span>
            <button type="button" className="tag-remove" aria-label={strings.ticket.removeTag(existing)} onClick={() => update(ticket, { tags: ticket.tags.filter((other) => other !== existing) })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="tag-form"
        onSubmit={(event) => {
          event.preventDefault();
          const value = tag.trim();
          if (value && !ticket.tags.includes(value)) update(ticket, { tags: [...ticket.tags, value] });
          setTag('');
        }}
      >
        <label htmlFor={`tag-${ticket.id}`} className="visually-hidden">
          {strings.ticket.addTag}
        </label>
        <input id={`tag-${ticket.id}`} value={tag} onChange={(event) => setTag(event.target.value)} placeholder={strings.ticket.addTag} maxLength={50} />
        <button type="submit" className="button secondary small">
          {strings.ticket.addTagButton}
        </button>
      </form>
    </div>
  );
}

/** The right-hand pane: ticket actions, who else is here, the thread, the composer and the contact. */
export function Conversation({ ticketId, viewId, me, channels, update, composerRef }: ConversationProps) {
  const ticket = useTicket(ticketId);
  const messages = useMessages(ticketId);
  const toast = useToast();
  const retry = useRetryMessage(ticketId, (error) => toast(errorText(error)));
  const decision = useDecideApproval(ticketId, (error) => toast(strings.message.decisionFailed(errorText(error))));
  // Supervisors and admins approve or reject the public replies waiting for them.
  const approvals = me.role === 'agent' ? undefined : { decide: decision.mutate, deciding: decision.isPending };
  const { others, onTyping } = usePresence(ticketId, me.id);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const now = useNow(15_000);

  // What the agent has seen: replies by others after this point ask for confirmation before sending.
  const seen = useRef<Set<string> | undefined>(undefined);
  useEffect(() => {
    seen.current = undefined;
  }, [ticketId]);
  if (messages.data && !seen.current) seen.current = new Set(messages.data.map((message) => message.id));
  const collision = (): Message | undefined =>
    [...(messages.data ?? [])]
      .reverse()
      .find((message) => message.direction === 'outbound' && message.visibility !== 'note' && message.deliveryState !== 'rejected' && message.authorUserId !== me.id && !seen.current?.has(message.id));
  const acceptCollision = () => {
    seen.current = new Set((messages.data ?? []).map((message) => message.id));
  };

  // An open conversation is read, also when a new message arrives while it is open.
  const markRead = useMarkRead();
  const unread = ticket.data?.unreadCount ?? 0;
  const { mutate: markReadNow, isPending: markingRead } = markRead;
  useEffect(() => {
    if (unread > 0 && !markingRead) markReadNow(ticketId);
  }, [ticketId, unread, markingRead, markReadNow]);

  // Moving to another ticket puts focus on its heading, so a screen reader announces it.
  useEffect(() => {
    if (ticket.data) headingRef.current?.focus();
  }, [ticketId, ticket.data?.id]);

  if (ticket.isPending) return <p className="page-status" role="status">{strings.ticket.loading}</p>;
  if (ticket.isError) return <p className="page-status" role="alert">{strings.ticket.loadFailed}</p>;
  const detail = ticket.data;
  const customerName = detail.contact?.name ?? strings.message.customer;
  const answering = [...(messages.data ?? [])].reverse().find((message) => message.direction === 'inbound');
  const viewing = others.map((viewer) => viewer.name);
  const typing = others.filter((viewer) => viewer.typing).map((viewer) => viewer.name);
  const solved = detail.status === 'solved' || detail.status === 'closed';

  return (
    <div className="conversation">
      <section className="conversation-main" aria-labelledby="ticket-title">
        <header className="conversation-header">
          <h1 id="ticket-title" tabIndex={-1} ref={headingRef} dir="auto">
            {strings.inbox.ticketTitle(detail.number, detail.subject)}
          </h1>
          <div className="ticket-actions">
            <label>
              {strings.ticket.status}{' '}
              <select value={detail.status} onChange={(event) => update(detail, { status: event.target.value as TicketDetail['status'] })}>
                {(['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const).map((status) => (
                  <option key={status} value={status}>
                    {strings.statuses[status]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {strings.ticket.priority}{' '}
              <select value={detail.priority} onChange={(event) => update(detail, { priority: event.target.value as TicketDetail['priority'] })}>
                {(['low', 'normal', 'high', 'urgent'] as const).map((priority) => (
                  <option key={priority} value={priority}>
                    {strings.priorities[priority]}
                  </option>
                ))}
              </select>
            </label>
            {detail.assigneeId === me.id ? (
              <button type="button" className="button secondary small" onClick={() => update(detail, { assigneeId: null })}>
                {strings.ticket.unassign}
              </button>
            ) : (
              <button type="button" className="button secondary small" onClick={() => update(detail, { assigneeId: me.id })}>
                {strings.ticket.assignToMe}
              </button>
            )}
            <button type="button" className="button secondary small" onClick={() => update(detail, { status: solved ? 'open' : 'solved' })}>
              {solved ? strings.ticket.reopen : strings.ticket.solve}
            </button>
          </div>
          <p className="triage-line">
            <TierBadge tier={detail.influenceTier} />
            <SentimentBadge sentiment={detail.sentiment} />
            <LanguageBadge language={detail.language} />
            {detail.priorityReason && (
              <span className="priority-reason-full">
                <span className="visually-hidden">{triageStrings.priorityWhy}: </span>
                {strings.priorities[detail.priority]} — {detail.priorityReason}
              </span>
            )}
          </p>
          <p className="assignment muted">{detail.assigneeId === null ? strings.inbox.unassigned : detail.assigneeId === me.id ? strings.inbox.assignedToMe : strings.inbox.assignedToSomeone}</p>
          <TagEditor ticket={detail} update={update} />
          <SlaClocks sla={detail.sla} now={now} />
          <MoveState move={detail.moveToPrivate} messages={messages.data} />
          <HandoffCard ticket={detail} />
          <div className="presence" aria-live="polite">
            {viewing.length > 0 && <span className="presence-viewing">{strings.ticket.viewing(viewing.join(', '))}</span>}
            {typing.length > 0 && <span className="presence-typing">{strings.ticket.typing(typing.join(', '))}</span>}
          </div>
        </header>
        {messages.isError ? (
          <p className="page-status" role="alert">
            {strings.ticket.loadFailed}
          </p>
        ) : messages.data ? (
          <Thread
            messages={messages.data}
            meId={me.id}
            customerName={customerName}
            onRetry={(id) => retry.mutate(id)}
            retrying={retry.isPending}
            channel={{ kind: detail.channelKind, imitates: imitatedOf(channels.get(detail.channelId)?.settings.imitates) }}
            steps={moveStepsOf(detail.moveToPrivate)}
            approvals={approvals}
          />
        ) : (
          <p className="page-status" role="status">
            {strings.ticket.loading}
          </p>
        )}
        {messages.data && (
        <Composer
          key={ticketId}
          ref={composerRef}
          ticketId={ticketId}
          channelId={detail.channelId}
          channelKind={detail.channelKind}
          imitates={channels.get(detail.channelId)?.settings.imitates}
          answering={answering}
          firstName={customerName.split(/\s+/)[0] ?? customerName}
          agentName={me.name}
          onTyping={onTyping}
          collision={collision}
          onCollisionAccepted={acceptCollision}
          thread={messages.data}
          move={detail.moveToPrivate}
          viewId={viewId}
        />
        )}
      </section>
      <ContactPanel ticket={detail} viewId={viewId} />
    </div>
  );
}
