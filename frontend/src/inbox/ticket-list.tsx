import { useEffect, useLayoutEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ChannelSummary, TicketListItem } from '../api/tickets.queries';
import { Avatar } from '../components/avatar';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';
import { compactNumber, relativeTime } from './format';
import { SlaBadge } from './sla';
import { useNow } from './use-now';
import { TierBadge } from '../triage/triage-badges';
import { triageStrings } from '../triage/triage.strings';
import { BotActiveMarker, BotHandoffMarker } from '../bot/bot-row-marker';

export const ROW_HEIGHT = 84;
/** A performance mark the render benchmark reads: when the first rows of the list were on screen. */
export const FIRST_ROWS_MARK = 'parley:inbox-first-rows';

interface TicketListProps {
  viewId: string;
  /** The URL's search (filters, text, order): opening a ticket keeps it. */
  search: string;
  items: TicketListItem[];
  selectedId: string | undefined;
  meId: string;
  channels: Map<string, ChannelSummary>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
}

function imitationOf(channel: ChannelSummary | undefined): 'x' | 'facebook' | 'instagram' | undefined {
  const imitates = channel?.settings.imitates;
  return imitates === 'x' || imitates === 'facebook' || imitates === 'instagram' ? imitates : undefined;
}

function Row({ ticket, selected, meId, href, channel, now }: { ticket: TicketListItem; selected: boolean; meId: string; href: string; channel: ChannelSummary | undefined; now: number }) {
  const identity = ticket.contact?.identities.reduce<(typeof ticket.contact.identities)[number] | undefined>((best, next) => ((next.followers ?? 0) > (best?.followers ?? -1) ? next : best), undefined);
  const name = ticket.contact?.name ?? identity?.displayName ?? identity?.handle ?? strings.message.customer;
  const assignee = ticket.assigneeId === null ? strings.inbox.unassigned : ticket.assigneeId === meId ? strings.inbox.assignedToMe : strings.inbox.assignedToSomeone;
  return (
    <Link to={href} className={`ticket-row${selected ? ' selected' : ''}`} aria-current={selected ? 'page' : undefined} data-ticket-id={ticket.id}>
      <span className="ticket-row-top">
        <ChannelIcon kind={ticket.channelKind} imitates={imitationOf(channel)} />
        <Avatar name={name} url={ticket.contact?.avatarUrl ?? identity?.avatarUrl} size={24} />
        <span className="ticket-author" dir="auto">
          {name}
        </span>
        {identity?.verified && (
          <span className="badge verified" title={strings.inbox.verified}>
            ✓<span className="visually-hidden">{strings.inbox.verified}</span>
          </span>
        )}
        <TierBadge tier={ticket.influenceTier} />
        <BotActiveMarker ticket={ticket} />
        {identity?.followers !== undefined && identity.followers >= 1000 && <span className="badge reach">{strings.inbox.followers(compactNumber(identity.followers))}</span>}
        <time className="ticket-time" dateTime={ticket.lastMessageAt}>
          {relativeTime(ticket.lastMessageAt, now)}
        </time>
      </span>
      <span className="ticket-preview" dir="auto">
        {ticket.unreadCount > 0 && (
          <span className="unread-dot" title={strings.inbox.unread}>
            <span className="visually-hidden">{strings.inbox.unread}</span>
          </span>
        )}
        {ticket.lastMessagePreview || ticket.subject}
      </span>
      <span className="ticket-row-meta">
        <span className={`priority priority-${ticket.priority}`}>{strings.priorities[ticket.priority]}</span>
        <BotHandoffMarker ticket={ticket} now={now} />
        {ticket.priorityReason && (
          <span className="priority-reason" title={`${triageStrings.priorityWhy}: ${ticket.priorityReason}`}>
            {ticket.priorityReason}
          </span>
        )}
        <span className="status">{strings.statuses[ticket.status]}</span>
        <span className="assignee">{assignee}</span>
        <SlaBadge sla={ticket.sla} now={now} />
        <span className="ticket-number">#{ticket.number}</span>
      </span>
    </Link>
  );
}

/** The middle pane: thousands of tickets, only the visible rows in the DOM; scrolling near the end loads the next page. */
export function TicketList({ viewId, search, items, selectedId, meId, channels, hasNextPage, isFetchingNextPage, fetchNextPage }: TicketListProps) {
  const now = useNow(30_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8, getItemKey: (index) => items[index]?.id ?? index });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;

  const hasRows = virtualItems.length > 0;
  useEffect(() => {
    if (hasRows && performance.getEntriesByName(FIRST_ROWS_MARK).length === 0) performance.mark(FIRST_ROWS_MARK);
  }, [hasRows]);

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= items.length - 10) fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // A ticket arriving on top must not push what the agent is reading down: keep the first visible row where it was.
  const anchor = useRef<{ id: string; offset: number } | undefined>(undefined);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const previous = anchor.current;
    if (element && previous && element.scrollTop > 0) {
      const index = items.findIndex((item) => item.id === previous.id);
      if (index >= 0) {
        const wanted = index * ROW_HEIGHT + previous.offset;
        if (Math.abs(wanted - element.scrollTop) >= 1) element.scrollTop = wanted;
      }
    }
  }, [items]);
  const rememberAnchor = () => {
    const element = scrollRef.current;
    if (!element) return;
    const index = Math.floor(element.scrollTop / ROW_HEIGHT);
    const item = items[index];
    anchor.current = item ? { id: item.id, offset: element.scrollTop - index * ROW_HEIGHT } : undefined;
  };

  useEffect(() => {
    if (!selectedId) return;
    const index = items.findIndex((item) => item.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
    // Only when the selection changes, not on every list update.
  }, [selectedId]);

  if (items.length === 0) {
    return (
      <section className="empty-state list-empty" aria-labelledby="inbox-empty">
        <h2 id="inbox-empty">{strings.shell.emptyInbox}</h2>
        <p>{strings.shell.emptyInboxHint}</p>
      </section>
    );
  }

  return (
    <div ref={scrollRef} className="ticket-list-scroll" onScroll={rememberAnchor} data-testid="ticket-list">
      <ul className="ticket-list" style={{ height: virtualizer.getTotalSize() }} aria-label={strings.inbox.ticketList} aria-busy={isFetchingNextPage}>
        {virtualItems.map((row) => {
          const ticket = items[row.index];
          if (!ticket) return null;
          return (
            <li key={row.key} className="ticket-list-item" style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }} aria-setsize={items.length} aria-posinset={row.index + 1}>
              <Row ticket={ticket} selected={ticket.id === selectedId} meId={meId} href={`/inbox/${viewId}/tickets/${ticket.id}${search ? `?${search}` : ''}`} channel={channels.get(ticket.channelId)} now={now} />
            </li>
          );
        })}
      </ul>
      {isFetchingNextPage && (
        <p className="list-status" role="status">
          {strings.inbox.loadingMore}
        </p>
      )}
    </div>
  );
}
