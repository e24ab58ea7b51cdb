import { NavLink } from 'react-router';
import type { SavedView } from '@parley/common';
import type { ChannelSummary, TicketListItem } from '../api/tickets.queries';
import { builtInViews, channelViewId, tagViewId } from '../api/views';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';
import { APPROVALS_VIEW } from './approval-queue';
import { SavedViewsNav } from './saved-views-nav';

interface ViewsNavProps {
  channels: ChannelSummary[] | null | undefined;
  /** Tickets loaded so far: the source of channels (when the server lists none) and tags. */
  loaded: TicketListItem[];
  /** The user's saved filters and the shared ones (undefined while loading). */
  savedViews: SavedView[] | undefined;
  meId: string;
  /** Supervisors and admins keep the shared filters. */
  canKeepShared: boolean;
  currentViewId: string;
  /** Supervisors and admins: how many public replies wait for approval (undefined: not theirs, or not known yet). */
  approvalCount?: number;
}

/** The left pane: the built-in views, the saved filters, one per channel, one per tag seen. */
export function ViewsNav({ channels, loaded, savedViews, meId, canKeepShared, currentViewId, approvalCount }: ViewsNavProps) {
  const channelEntries: { id: string; name: string; kind: ChannelSummary['kind']; imitates?: unknown }[] =
    channels?.map((channel) => ({ id: channel.id, name: channel.name, kind: channel.kind, imitates: channel.settings.imitates })) ??
    [...new Map(loaded.map((ticket) => [ticket.channelId, { id: ticket.channelId, name: strings.channelKinds[ticket.channelKind], kind: ticket.channelKind }])).values()];
  const tags = [...new Set(loaded.flatMap((ticket) => ticket.tags))].sort().slice(0, 30);
  const imitation = (value: unknown) => (value === 'x' || value === 'facebook' || value === 'instagram' ? value : undefined);
  return (
    <nav className="views-nav" aria-label={strings.inbox.views}>
      <h2 className="nav-heading" id="views-heading" tabIndex={-1}>
        {strings.inbox.views}
      </h2>
      <ul>
        {builtInViews.map((view) => (
          <li key={view}>
            <NavLink to={`/inbox/${view}`}>{strings.inbox.viewNames[view]}</NavLink>
          </li>
        ))}
        {approvalCount !== undefined && (
          <li>
            <NavLink to={`/inbox/${APPROVALS_VIEW}`} aria-label={`${strings.inbox.needsApproval}, ${strings.inbox.needsApprovalCount(approvalCount)}`}>
              {strings.inbox.needsApproval}
              <span className={`nav-count${approvalCount > 0 ? ' waiting' : ''}`} aria-hidden="true">
                {approvalCount}
              </span>
            </NavLink>
          </li>
        )}
      </ul>
      {savedViews && savedViews.length > 0 && <SavedViewsNav views={savedViews} meId={meId} canKeepShared={canKeepShared} currentViewId={currentViewId} />}
      {channelEntries.length > 0 && (
        <>
          <h2 className="nav-heading">{strings.inbox.channels}</h2>
          <ul>
            {channelEntries.map((channel) => (
              <li key={channel.id}>
                <NavLink to={`/inbox/${channelViewId(channel.id)}`}>
                  <ChannelIcon kind={channel.kind} imitates={imitation(channel.imitates)} /> <span dir="auto">{channel.name}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </>
      )}
      {tags.length > 0 && (
        <>
          <h2 className="nav-heading">{strings.inbox.tags}</h2>
          <ul>
            {tags.map((tag) => (
              <li key={tag}>
                <NavLink to={`/inbox/${tagViewId(tag)}`} dir="auto">
                  #{tag}
                </NavLink>
              </li>
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}
