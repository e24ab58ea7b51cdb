import type { ConnectorKind } from '@parley/common';
import { strings } from '../i18n/strings';

const glyphs: Record<ConnectorKind | 'x' | 'facebook' | 'instagram', string> = {
  x: '𝕏',
  facebook: 'f',
  instagram: 'IG',
  simulator: 'SIM',
  webhook: 'WH',
};

/** The platform a ticket came from; a simulator channel shows the platform it imitates. */
export function ChannelIcon({ kind, imitates }: { kind: ConnectorKind; imitates?: 'x' | 'facebook' | 'instagram' }) {
  const shown = imitates ?? kind;
  const label = imitates ? `${strings.channelKinds[imitates]} (${strings.channelKinds.simulator})` : strings.channelKinds[kind];
  return (
    <span className={`channel-icon channel-${shown}`} role="img" aria-label={label} title={label}>
      {glyphs[shown]}
    </span>
  );
}
