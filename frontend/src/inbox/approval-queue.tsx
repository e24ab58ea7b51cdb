import { Link } from 'react-router';
import { usePendingApprovals } from '../api/approvals.queries';
import type { ChannelSummary } from '../api/tickets.queries';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';
import { relativeTime } from './format';
import { useNow } from './use-now';

export const APPROVALS_VIEW = 'approvals';

interface ApprovalQueueProps {
  selectedId: string | undefined;
  channels: Map<string, ChannelSummary>;
}

/** The list pane of "Needs approval": each public reply waiting for a supervisor, longest waiting first. */
export function ApprovalQueue({ selectedId, channels }: ApprovalQueueProps) {
  const pending = usePendingApprovals(true);
  const now = useNow(30_000);
  if (pending.isPending) return <p className="page-status" role="status">{strings.shell.loading}</p>;
  if (pending.isError) return <p className="page-status" role="alert">{strings.approvals.loadFailed}</p>;
  if (pending.data.items.length === 0) {
    return (
      <div className="list-empty empty-state">
        <p>{strings.approvals.empty}</p>
      </div>
    );
  }
  return (
    <div className="ticket-list-scroll">
      <p className="muted approval-intro">{strings.approvals.intro}</p>
      <ul className="approval-list" aria-label={strings.approvals.title}>
        {pending.data.items.map(({ message, ticket }) => {
          const imitates = channels.get(ticket.channelId)?.settings.imitates;
          return (
            <li key={message.id}>
              <Link
                to={`/inbox/${APPROVALS_VIEW}/tickets/${ticket.id}`}
                className={`approval-row${selectedId === ticket.id ? ' selected' : ''}`}
                aria-current={selectedId === ticket.id ? 'page' : undefined}
                data-message-id={message.id}
              >
                <span className="ticket-row-top">
                  <ChannelIcon kind={ticket.channelKind} imitates={imitates === 'x' || imitates === 'facebook' || imitates === 'instagram' ? imitates : undefined} />
                  <span className="ticket-author" dir="auto">
                    {strings.inbox.ticketTitle(ticket.number, ticket.subject)}
                  </span>
                  <time className="ticket-time" dateTime={message.createdAt}>
                    {relativeTime(message.createdAt, now)}
                  </time>
                </span>
                <span className="ticket-preview" dir="auto">
                  {message.text}
                </span>
                <span className="ticket-row-meta">{message.authorName && <span dir="auto">{strings.approvals.by(message.authorName)}</span>}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
