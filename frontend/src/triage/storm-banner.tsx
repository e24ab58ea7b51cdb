import { Link } from 'react-router';
import { useAlerts } from '../api/triage.queries';
import { compactNumber } from '../inbox/format';
import { triageStrings } from './triage.strings';

/** Across the top of every page, for supervisors and admins: the storm going on right now. */
export function StormBanner({ enabled }: { enabled: boolean }) {
  const alerts = useAlerts('active', enabled);
  const active = alerts.data?.items ?? [];
  const [storm] = active;
  if (!enabled || !storm) return null;
  return (
    <div className="storm-banner" role="alert">
      <span aria-hidden="true">⚠</span>
      <span>
        {triageStrings.banner(triageStrings.scope(storm.scope), storm.mentions, compactNumber(storm.totalReach))}
        {triageStrings.bannerMore(active.length)}
      </span>
      <Link to="/alerts">{triageStrings.seeStorm}</Link>
    </div>
  );
}
