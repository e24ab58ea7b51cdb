import { Link } from 'react-router';
import type { TicketDetail } from '@parley/common';
import { useContact } from '../api/tickets.queries';
import { Avatar } from '../components/avatar';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';
import { compactNumber, relativeTime } from './format';

/** Who the customer is: every platform identity, reach, earlier tickets, tags. */
export function ContactPanel({ ticket, viewId }: { ticket: TicketDetail; viewId: string }) {
  const detail = useContact(ticket.contactId);
  const contact = detail.data ?? ticket.contact;
  if (!contact) return null;
  const others = (detail.data?.tickets ?? []).filter((other) => other.id !== ticket.id);
  return (
    <aside className="contact-panel" aria-labelledby="contact-title">
      <h2 id="contact-title" className="visually-hidden">
        {strings.contact.title}
      </h2>
      <div className="contact-head">
        <Avatar name={contact.name} url={contact.avatarUrl} size={48} />
        <p className="contact-name" dir="auto">
          {contact.name}
        </p>
      </div>
      <h3>{strings.contact.identities}</h3>
      <ul className="identities">
        {contact.identities.map((identity) => (
          <li key={`${identity.kind}:${identity.externalId}`}>
            <ChannelIcon kind={identity.kind} />
            <span dir="auto">{identity.handle ? `@${identity.handle}` : (identity.displayName ?? identity.externalId)}</span>
            {identity.verified && <span className="badge verified">{strings.inbox.verified}</span>}
            {identity.followers !== undefined && <span className="badge reach">{strings.inbox.followers(compactNumber(identity.followers))}</span>}
          </li>
        ))}
      </ul>
      <h3>{strings.contact.tags}</h3>
      {contact.tags.length > 0 ? (
        <ul className="tag-list">
          {contact.tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{strings.contact.noTags}</p>
      )}
      <h3>{strings.contact.previousTickets}</h3>
      {detail.isPending ? (
        <p className="muted">{strings.contact.loading}</p>
      ) : others.length > 0 ? (
        <ul className="previous-tickets">
          {others.map((other) => (
            <li key={other.id}>
              <Link to={`/inbox/${viewId}/tickets/${other.id}`}>
                #{other.number} <span dir="auto">{other.subject}</span>
              </Link>{' '}
              <span className="muted">
                {strings.statuses[other.status]} · {relativeTime(other.lastMessageAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{strings.contact.noPrevious}</p>
      )}
    </aside>
  );
}
