import { useNavigate } from 'react-router';
import type { Alert, Ambassador } from '@parley/common';
import { useAlerts, useAmbassadors, useTagAmbassador } from '../api/triage.queries';
import { useToast } from '../components/toast';
import { compactNumber } from '../inbox/format';
import { TierBadge } from './triage-badges';
import { triageStrings } from './triage.strings';

const time = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

function AlertCard({ alert }: { alert: Alert }) {
  const navigate = useNavigate();
  const active = alert.state === 'active';
  return (
    <article className={`alert-card${active ? ' active' : ''}`} aria-labelledby={`alert-${alert.id}`}>
      <h3 id={`alert-${alert.id}`}>
        <span className={`alert-state${active ? ' active' : ''}`}>{active ? triageStrings.page.active : triageStrings.page.over}</span>
        {triageStrings.scope(alert.scope)}
        <span className="muted">{active ? triageStrings.page.since(time(alert.startedAt)) : triageStrings.page.ended(time(alert.endedAt ?? alert.updatedAt))}</span>
      </h3>
      <p>{triageStrings.page.figures(alert.mentions, alert.peakCount, compactNumber(alert.totalReach), alert.baseline.mean < 0.5 ? triageStrings.page.almostNone : `about ${Math.round(alert.baseline.mean)}`)}</p>
      {alert.relatedScopes.length > 0 && <p className="muted">{triageStrings.page.related(alert.relatedScopes.map(triageStrings.scope).join(', '))}</p>}
      {alert.topHashtags.length > 0 && (
        <div className="hashtag-chips" aria-label={triageStrings.page.topHashtags}>
          {alert.topHashtags.map(({ tag, count }) => (
            <span key={tag} className="badge reach">
              {tag} · {count}
            </span>
          ))}
        </div>
      )}
      <h4>{triageStrings.page.posts}</h4>
      <ul className="alert-posts">
        {alert.posts.map((post) => (
          <li key={post.messageId}>
            <strong dir="auto">{post.author}</strong> <TierBadge tier={post.tier} /> <span className="muted">{triageStrings.page.followers(compactNumber(post.followers))}</span>
            <div dir="auto">{post.text}</div>
            <button type="button" className="button secondary small" onClick={() => void navigate(`/inbox/all/tickets/${post.ticketId}`)}>
              {triageStrings.page.openTicket}
            </button>
          </li>
        ))}
      </ul>
    </article>
  );
}

function AmbassadorItem({ ambassador }: { ambassador: Ambassador }) {
  const navigate = useNavigate();
  const toast = useToast();
  const tag = useTagAmbassador();
  return (
    <li>
      <span>
        <strong dir="auto">{ambassador.contact.name}</strong> <TierBadge tier={ambassador.tier} /> <span className="muted">{triageStrings.page.followers(compactNumber(ambassador.followers))}</span>
        {ambassador.tagged && <span className="badge shared">{triageStrings.ambassadors.tagged}</span>}
      </span>
      <span className="muted">{triageStrings.ambassadors.figures(ambassador.positiveMentions, ambassador.defenses, ambassador.shares)}</span>
      {ambassador.recentPosts[0] && <span dir="auto">“{ambassador.recentPosts[0].text}”</span>}
      <span className="ambassador-actions">
        <button
          type="button"
          className="button small"
          disabled={!ambassador.latestTicketId}
          title={ambassador.latestTicketId ? undefined : triageStrings.ambassadors.noTicket}
          onClick={() => void navigate(`/inbox/all/tickets/${ambassador.latestTicketId}?compose=private`)}
        >
          {triageStrings.ambassadors.writePrivately}
        </button>
        <button
          type="button"
          className="button secondary small"
          disabled={tag.isPending}
          onClick={() => tag.mutate({ contactId: ambassador.contact.id, tagged: !ambassador.tagged }, { onError: (error) => toast(error instanceof Error ? error.message : String(error)) })}
        >
          {ambassador.tagged ? triageStrings.ambassadors.untag : triageStrings.ambassadors.tag}
        </button>
      </span>
    </li>
  );
}

/** The supervisors' alerts: storms (the live one first) and the ambassadors to reach out to. */
export function AlertsRoute() {
  const alerts = useAlerts('all');
  const ambassadors = useAmbassadors();
  const items = [...(alerts.data?.items ?? [])].sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active'));
  const storming = items.some((alert) => alert.state === 'active');
  return (
    <div className="alerts-page">
      <section aria-labelledby="alerts-title">
        <h1 id="alerts-title">{triageStrings.page.title}</h1>
        {alerts.isPending && <p role="status">{triageStrings.page.loading}</p>}
        {alerts.isError && <p role="alert">{triageStrings.page.failed}</p>}
        {alerts.data && items.length === 0 && <p className="muted">{triageStrings.page.none}</p>}
        {items.map((alert) => (
          <AlertCard key={alert.id} alert={alert} />
        ))}
      </section>
      <section aria-labelledby="ambassadors-title">
        <h2 id="ambassadors-title">{triageStrings.ambassadors.title}</h2>
        <p className={storming ? 'storm-hint' : 'muted'}>{storming ? triageStrings.ambassadors.duringStorm : triageStrings.ambassadors.intro}</p>
        {ambassadors.isPending && <p role="status">{triageStrings.ambassadors.loading}</p>}
        {ambassadors.data && ambassadors.data.items.length === 0 && <p className="muted">{triageStrings.ambassadors.none}</p>}
        <ul className="ambassador-list">
          {ambassadors.data?.items.map((ambassador) => (
            <AmbassadorItem key={ambassador.contact.id} ambassador={ambassador} />
          ))}
        </ul>
      </section>
    </div>
  );
}
