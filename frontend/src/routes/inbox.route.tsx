import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMatch, useNavigate, useParams, useSearchParams } from 'react-router';
import type { TicketDetail, TicketUpdate } from '@parley/common';
import { useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { useChannels, useTicketList, useUpdateTicket, type ChannelSummary } from '../api/tickets.queries';
import { viewFromId } from '../api/views';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import type { ComposerHandle } from '../inbox/composer';
import { Conversation } from '../inbox/conversation';
import { ShortcutsDialog } from '../inbox/shortcuts-dialog';
import { TicketList } from '../inbox/ticket-list';
import { ViewsNav } from '../inbox/views-nav';
import { useRealtime } from '../realtime/socket';

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The agent's inbox: views on the left, the ticket list in the middle, the conversation on the right. */
export function InboxRoute() {
  const { view: viewId = 'mine' } = useParams();
  const ticketId = useMatch('/inbox/:view/tickets/:ticketId')?.params.ticketId;
  const navigate = useNavigate();
  const me = useMe().data?.user;
  const view = useMemo(() => viewFromId(viewId), [viewId]);
  // A search narrows the view: text, customer name or handle (GET /api/tickets ?q=), kept in the URL.
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.get('q')?.trim() ?? '';
  const listQuery = useMemo(() => ({ ...(view?.query ?? {}), ...(search ? { q: search } : {}) }), [view, search]);
  const list = useTicketList(listQuery);
  const channels = useChannels();
  const { connected } = useRealtime();
  const toast = useToast();
  const composerRef = useRef<ComposerHandle>(null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const channelById = useMemo(() => new Map<string, ChannelSummary>((channels.data ?? []).map((channel) => [channel.id, channel])), [channels.data]);
  const mutation = useUpdateTicket((error) => toast(strings.ticket.updateFailed(error instanceof ApiError ? error.message : String(error))));
  const update = useCallback((ticket: TicketDetail, patch: TicketUpdate) => mutation.mutate({ id: ticket.id, patch }), [mutation]);
  const { fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const current = items.find((item) => item.id === ticketId);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target) || shortcutsOpen) return;
      const index = items.findIndex((item) => item.id === ticketId);
      const go = (next: number) => {
        const target = items[Math.max(0, Math.min(items.length - 1, next))];
        if (target) void navigate(`/inbox/${viewId}/tickets/${target.id}`);
      };
      const handled = () => event.preventDefault();
      switch (event.key) {
        case 'j':
          handled();
          go(index + 1);
          break;
        case 'k':
          handled();
          go(index <= 0 ? 0 : index - 1);
          break;
        case 'e':
          if (current) {
            handled();
            mutation.mutate({ id: current.id, patch: { status: 'solved' } });
          }
          break;
        case 'a':
          if (current && me) {
            handled();
            mutation.mutate({ id: current.id, patch: { assigneeId: me.id } });
          }
          break;
        case 'r':
          handled();
          composerRef.current?.focusAs('public');
          break;
        case 'n':
          handled();
          composerRef.current?.focusAs('note');
          break;
        case '?':
          handled();
          setShortcutsOpen(true);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, ticketId, viewId, navigate, current, me, mutation, shortcutsOpen]);

  if (!me) return null;
  if (!view) {
    return (
      <p className="page-status" role="alert">
        {strings.inbox.unknownView}
      </p>
    );
  }

  return (
    <div className="inbox">
      {!connected && (
        <p className="banner-disconnected" role="alert">
          {strings.inbox.disconnected}
        </p>
      )}
      <ViewsNav channels={channels.data} loaded={items} />
      <section className="list-pane" aria-labelledby="list-title">
        <h1 id="list-title" className="pane-title">
          {strings.inbox.viewNames[viewId as keyof typeof strings.inbox.viewNames] ?? strings.inbox.ticketList}
        </h1>
        <form
          className="list-search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            const field = new FormData(event.currentTarget).get('q');
            const value = typeof field === 'string' ? field.trim() : '';
            setSearchParams(value ? { q: value } : {});
          }}
        >
          <label htmlFor="ticket-search" className="visually-hidden">
            {strings.inbox.search}
          </label>
          <input id="ticket-search" name="q" type="search" defaultValue={search} key={search} placeholder={strings.inbox.searchPlaceholder} maxLength={200} dir="auto" />
        </form>
        {list.isPending ? (
          <p className="page-status" role="status">
            {strings.shell.loading}
          </p>
        ) : list.isError ? (
          <div className="page-status" role="alert">
            <p>{strings.inbox.loadFailed}</p>
            <button type="button" className="button secondary" onClick={() => void list.refetch()}>
              {strings.inbox.retry}
            </button>
          </div>
        ) : (
          <TicketList
            viewId={viewId}
            items={items}
            selectedId={ticketId}
            meId={me.id}
            channels={channelById}
            hasNextPage={list.hasNextPage}
            isFetchingNextPage={list.isFetchingNextPage}
            fetchNextPage={loadMore}
          />
        )}
      </section>
      <div className="conversation-pane">
        {ticketId ? (
          <Conversation
            ticketId={ticketId}
            viewId={viewId}
            me={{ id: me.id, name: me.name }}
            channels={channelById}
            update={update}
            composerRef={composerRef}
          />
        ) : (
          <p className="page-status">{strings.inbox.selectTicket}</p>
        )}
      </div>
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
