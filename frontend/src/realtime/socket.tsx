import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { contactDetailSchema, type ClientToServerEvents, type MeResponse, type ServerToClientEvents, type TicketListQuery, type TicketPresence } from '@parley/common';
import { applyApproval } from '../api/approvals.queries';
import { meQueryKey } from '../api/auth.queries';
import { ticketMatchesView } from '../api/views';
import { apiFetch } from '../api/client';
import { session } from '../api/session';
import { placeTicket } from '../api/list-order';
import { applyMessage, applyTicket, removeMessage, ticketKeys, type TicketListItem, type TicketListPages } from '../api/tickets.queries';
import { triageKeys } from '../api/triage.queries';
import { useToast } from '../components/toast';
import { triageStrings } from '../triage/triage.strings';
import { strings } from '../i18n/strings';
import { slaToastText } from './sla-toast';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Realtime {
  socket: ParleySocket | undefined;
  /** False while the connection is lost (after having been up once). */
  connected: boolean;
  presence: Map<string, TicketPresence['viewers']>;
}

const SERVER_DISCONNECT_RETRY_MS = 1_000;

const RealtimeContext = createContext<Realtime>({ socket: undefined, connected: true, presence: new Map() });

/**
 * Puts a new or changed ticket in its place in every cached list whose filter it matches:
 * a new one joins, one with a new message or a new due time moves. A ticket that no longer
 * matches a list stays where the agent saw it until the list is fetched again.
 * Answers whether the ticket joined a list it was not in (its contact is then missing).
 */
function placeInLists(queryClient: QueryClient, ticket: TicketListItem): boolean {
  let added = false;
  const meId = queryClient.getQueryData<MeResponse | null>(meQueryKey)?.user.id ?? '';
  for (const [key, old] of queryClient.getQueriesData<TicketListPages>({ queryKey: ticketKeys.lists })) {
    const query = key[2] as TicketListQuery | undefined;
    if (!old || !query || !ticketMatchesView({ id: '', query }, ticket, meId)) continue;
    // The cached row, already patched if the event was newer, keeps its contact.
    const cached = old.pages.flatMap((page) => page.items).find((item) => item.id === ticket.id);
    const placed = placeTicket(old, cached ?? ticket, query.sort ?? 'lastMessageAt');
    if (placed === old) continue;
    queryClient.setQueryData<TicketListPages>(key, placed);
    if (!cached && placed.pages.some((page) => page.items.some((item) => item.id === ticket.id))) added = true;
  }
  return added;
}

/**
 * Events carry the ticket without its contact; rather than refetching every loaded page of
 * every list (thousands of rows), fetch the one contact and put it on the new row.
 */
async function fillContact(queryClient: QueryClient, ticket: { id: string; contactId: string }): Promise<void> {
  const contact = await queryClient.fetchQuery({
    queryKey: ticketKeys.contact(ticket.contactId),
    queryFn: ({ signal }) => apiFetch(`/api/contacts/${ticket.contactId}`, contactDetailSchema, { signal }),
    staleTime: 30_000,
  });
  const summary = { id: contact.id, name: contact.name, avatarUrl: contact.avatarUrl, identities: contact.identities };
  queryClient.setQueriesData<TicketListPages>({ queryKey: ticketKeys.lists }, (old) =>
    old ? { ...old, pages: old.pages.map((page) => ({ ...page, items: page.items.map((item) => (item.id === ticket.id && item.contact === null ? { ...item, contact: summary } : item)) })) } : old,
  );
}

/** One socket per signed-in tab; domain events patch the React Query cache. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [socket, setSocket] = useState<ParleySocket>();
  const [connected, setConnected] = useState(true);
  const [presence, setPresence] = useState<Map<string, TicketPresence['viewers']>>(new Map());

  useEffect(() => {
    const created: ParleySocket = io({ auth: (callback) => callback(session.token ? { token: session.token } : {}), transports: ['websocket'] });
    let everConnected = false;
    created.on('connect', () => {
      setConnected(true);
      if (everConnected) void queryClient.invalidateQueries({ refetchType: 'active' });
      everConnected = true;
    });
    created.on('disconnect', (reason) => {
      setConnected(false);
      // socket.io leaves reconnecting to us only when the server closed the socket on purpose.
      if (reason === 'io server disconnect') window.setTimeout(() => created.connect(), SERVER_DISCONNECT_RETRY_MS);
    });
    created.on('connect_error', () => setConnected(false));
    created.on('ticket.created', ({ ticket }) => {
      if (placeInLists(queryClient, { ...ticket, contact: null })) fillContact(queryClient, ticket).catch(() => undefined);
    });
    created.on('ticket.updated', ({ ticket }) => {
      applyTicket(queryClient, ticket);
      // A ticket that now belongs to a view it was not in (assigned to me, reopened) joins it, with its contact fetched;
      // one whose order changed (a new message, a new due time) moves.
      if (placeInLists(queryClient, { ...ticket, contact: null })) fillContact(queryClient, ticket).catch(() => undefined);
    });
    created.on('message.created', ({ ticketId, message }) => applyMessage(queryClient, ticketId, message));
    created.on('message.updated', ({ ticketId, message }) => applyMessage(queryClient, ticketId, message));
    created.on('message.removed', ({ ticketId, messageId }) => removeMessage(queryClient, ticketId, messageId));
    created.on('approval.updated', ({ ticketId, message, pendingCount }) => {
      applyMessage(queryClient, ticketId, message);
      applyApproval(queryClient, message, pendingCount);
      // The agent who wrote it hears of the decision wherever they are in the app.
      const meId = queryClient.getQueryData<MeResponse | null>(meQueryKey)?.user.id;
      const { approval } = message;
      if (!meId || message.authorUserId !== meId || !approval?.decidedByName || approval.decidedById === meId) return;
      if (approval.state === 'approved') toast(strings.approvals.approved(approval.decidedByName));
      if (approval.state === 'rejected') toast(strings.approvals.rejected(approval.decidedByName, approval.comment ?? ''));
    });
    // Storms reach supervisors and admins only (their room): the banner, the alerts page and a word.
    created.on('alert.storm', ({ alert }) => {
      void queryClient.invalidateQueries({ queryKey: triageKeys.allAlerts });
      toast(triageStrings.stormToast(triageStrings.scope(alert.scope)));
    });
    created.on('alert.storm_over', ({ alert }) => {
      void queryClient.invalidateQueries({ queryKey: triageKeys.allAlerts });
      toast(triageStrings.stormOverToast(triageStrings.scope(alert.scope)));
    });
    // An SLA clock of one of my tickets is close to its target, or missed it.
    const slaToast = (text: string | null) => text && toast(text);
    created.on('sla.warning', (event) => slaToast(slaToastText('warning', event, queryClient.getQueryData<MeResponse | null>(meQueryKey)?.user)));
    created.on('sla.breached', (event) => slaToast(slaToastText('breached', event, queryClient.getQueryData<MeResponse | null>(meQueryKey)?.user)));
    created.on('alert.updated', () => void queryClient.invalidateQueries({ queryKey: triageKeys.allAlerts }));
    created.on('ticket.presence', ({ ticketId, viewers }) =>
      setPresence((old) => {
        const next = new Map(old);
        next.set(ticketId, viewers);
        return next;
      }),
    );
    setSocket(created);
    return () => {
      created.disconnect();
    };
  }, [queryClient, toast]);

  return <RealtimeContext value={{ socket, connected, presence }}>{children}</RealtimeContext>;
}

export const useRealtime = () => useContext(RealtimeContext);
