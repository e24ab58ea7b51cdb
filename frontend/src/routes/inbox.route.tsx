import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMatch, useNavigate, useParams, useSearchParams } from 'react-router';
import { ticketSortSchema, type SavedView, type TicketDetail, type TicketUpdate } from '@parley/common';
import { usePendingApprovals } from '../api/approvals.queries';
import { useMe } from '../api/auth.queries';
import { ApiError } from '../api/client';
import { useSavedViews, useUpdateSavedView } from '../api/saved-views.queries';
import { useChannels, useTicketList, useUpdateTicket, type ChannelSummary } from '../api/tickets.queries';
import { isSavedViewId, savedViewId, viewFromId } from '../api/views';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { APPROVALS_VIEW, ApprovalQueue } from '../inbox/approval-queue';
import type { ComposerHandle } from '../inbox/composer';
import { Conversation } from '../inbox/conversation';
import { FilterBar } from '../inbox/filter-bar';
import { filtersOfQuery, narrowingCount, narrowingFromParams, narrowingToParams, narrowQuery, type Narrowing } from '../inbox/filters';
import { ShortcutsDialog } from '../inbox/shortcuts-dialog';
import { TicketList } from '../inbox/ticket-list';
import { ViewsNav } from '../inbox/views-nav';
import { useRealtime } from '../realtime/socket';

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // A modal dialog (save a filter, confirm a deletion) owns the keyboard while it is open.
  if (target.closest('dialog[open]')) return true;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The agent's inbox: views on the left, the ticket list in the middle, the conversation on the right. */
export function InboxRoute() {
  const { view: viewId = 'mine' } = useParams();
  const ticketId = useMatch('/inbox/:view/tickets/:ticketId')?.params.ticketId;
  const navigate = useNavigate();
  const me = useMe().data?.user;
  const savedViews = useSavedViews();
  // Supervisors and admins have the queue of public replies waiting for their approval.
  const canApprove = me !== undefined && me.role !== 'agent';
  const approvals = usePendingApprovals(canApprove);
  const approvalsView = canApprove && viewId === APPROVALS_VIEW;
  const view = useMemo(() => (approvalsView ? { id: APPROVALS_VIEW, query: {} } : viewFromId(viewId, savedViews.data)), [approvalsView, viewId, savedViews.data]);
  // A search (text, customer name or handle: GET /api/tickets ?q=) and the filter bar narrow the view, kept in the URL.
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.get('q')?.trim() ?? '';
  const searchString = searchParams.toString();
  const narrowing = useMemo(() => narrowingFromParams(new URLSearchParams(searchString)), [searchString]);
  const listQuery = useMemo(() => narrowQuery(view?.query ?? {}, narrowing, search), [view, narrowing, search]);
  const titleRef = useRef<HTMLHeadingElement>(null);
  // After "Save as filter" the new view opens and its title takes the focus.
  const [focusTitleOf, setFocusTitleOf] = useState<string>();
  useEffect(() => {
    if (focusTitleOf && view?.id === focusTitleOf) {
      titleRef.current?.focus();
      setFocusTitleOf(undefined);
    }
  }, [focusTitleOf, view]);
  // An unknown view, or a saved one still loading, fetches nothing (its query would be "every ticket").
  const list = useTicketList(listQuery, { enabled: view !== undefined && !approvalsView });
  const channels = useChannels();
  const { connected } = useRealtime();
  const toast = useToast();
  const savedUpdate = useUpdateSavedView();
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
        if (target) void navigate({ pathname: `/inbox/${viewId}/tickets/${target.id}`, search: searchString });
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
  }, [items, ticketId, viewId, searchString, navigate, current, me, mutation, shortcutsOpen]);

  // The filter panel sets the narrowing; the order the agent chose stays.
  const applyNarrowing = useCallback((next: Narrowing) => setSearchParams(narrowingToParams({ ...next, sort: narrowing.sort }, search)), [setSearchParams, search, narrowing.sort]);
  const openSaved = useCallback(
    (saved: SavedView) => {
      void navigate(`/inbox/${savedViewId(saved.id)}`);
      setFocusTitleOf(savedViewId(saved.id));
    },
    [navigate],
  );
  const filterChannels = useMemo(
    () =>
      channels.data?.map((channel) => ({ id: channel.id, name: channel.name })) ??
      [...new Map(items.map((ticket) => [ticket.channelId, { id: ticket.channelId, name: strings.channelKinds[ticket.channelKind] }])).values()],
    [channels.data, items],
  );
  const filterTags = useMemo(() => [...new Set(items.flatMap((ticket) => ticket.tags))].sort().slice(0, 100), [items]);

  // On a saved filter its keeper may change: "Update" makes the narrowing part of it.
  const changeableSaved = view?.saved && me && (view.saved.ownerId === me.id || (view.saved.shared && me.role !== 'agent')) ? view.saved : undefined;
  const updateSaved = () => {
    if (!changeableSaved) return;
    savedUpdate.mutate(
      { id: changeableSaved.id, patch: { filters: filtersOfQuery(listQuery) } },
      {
        onSuccess: (updated) => {
          setSearchParams({});
          toast(strings.savedViews.updated(updated.name));
        },
        onError: (error) => toast(strings.savedViews.updateFailed(error instanceof ApiError ? error.message : String(error))),
      },
    );
  };

  if (!me) return null;
  if (!view && isSavedViewId(viewId) && (savedViews.isPending || savedViews.isError)) {
    return savedViews.isPending ? (
      <p className="page-status" role="status">
        {strings.shell.loading}
      </p>
    ) : (
      <div className="page-status" role="alert">
        <p>{strings.savedViews.loadFailed}</p>
        <button type="button" className="button secondary" onClick={() => void savedViews.refetch()}>
          {strings.inbox.retry}
        </button>
      </div>
    );
  }
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
      <ViewsNav
        channels={channels.data}
        loaded={items}
        savedViews={savedViews.data}
        meId={me.id}
        canKeepShared={me.role !== 'agent'}
        currentViewId={viewId}
        approvalCount={canApprove ? (approvals.data?.count ?? 0) : undefined}
      />
      {approvalsView ? (
        <section className="list-pane" aria-labelledby="list-title">
          <div className="list-header">
            <h1 id="list-title" className="pane-title" ref={titleRef} tabIndex={-1}>
              {strings.approvals.title}
            </h1>
          </div>
          <ApprovalQueue selectedId={ticketId} channels={channelById} />
        </section>
      ) : (
      <section className="list-pane" aria-labelledby="list-title">
        <div className="list-header">
          <h1 id="list-title" className="pane-title" ref={titleRef} tabIndex={-1} dir="auto">
            {view.saved?.name ?? strings.inbox.viewNames[viewId as keyof typeof strings.inbox.viewNames] ?? strings.inbox.ticketList}
          </h1>
          <div className="list-sort">
            <label htmlFor="ticket-sort">{strings.inbox.sortBy}</label>
            <select
              id="ticket-sort"
              value={listQuery.sort ?? 'lastMessageAt'}
              onChange={(event) => {
                const sort = ticketSortSchema.parse(event.target.value);
                // The view's own order needs no parameter; another one is kept in the URL.
                setSearchParams(narrowingToParams({ ...narrowing, sort: sort === (view.query.sort ?? 'lastMessageAt') ? undefined : sort }, search));
              }}
            >
              {ticketSortSchema.options.map((sort) => (
                <option key={sort} value={sort}>
                  {strings.inbox.sorts[sort]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <form
          className="list-search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            const field = new FormData(event.currentTarget).get('q');
            const value = typeof field === 'string' ? field.trim() : '';
            setSearchParams(narrowingToParams(narrowing, value));
          }}
        >
          <label htmlFor="ticket-search" className="visually-hidden">
            {strings.inbox.search}
          </label>
          <input id="ticket-search" name="q" type="search" defaultValue={search} key={search} placeholder={strings.inbox.searchPlaceholder} maxLength={200} dir="auto" />
        </form>
        <FilterBar
          key={viewId}
          viewQuery={view.query}
          narrowing={narrowing}
          listQuery={listQuery}
          narrowed={narrowingCount(narrowing) > 0 || search !== ''}
          channels={filterChannels}
          tags={filterTags}
          canShare={me.role !== 'agent'}
          onApply={applyNarrowing}
          onSaved={openSaved}
          updatable={changeableSaved?.name}
          onUpdate={updateSaved}
        />
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
            search={searchString}
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
      )}
      <div className="conversation-pane">
        {ticketId ? (
          <Conversation
            ticketId={ticketId}
            viewId={viewId}
            me={{ id: me.id, name: me.name, role: me.role }}
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
