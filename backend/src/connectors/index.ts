import type { ConnectorKind } from '@parley/common';
import type { Connector } from './connector';
import { facebookConnector } from './meta/facebook.connector';
import { instagramConnector } from './meta/instagram.connector';
import { simulatorConnector } from './simulator/simulator.connector';
import { webhookConnector } from './webhook/webhook.connector';
import { xConnector } from './x/x.connector';

/** Every connector, one per channel kind: a kind without a connector does not compile. */
export const connectors = {
  simulator: simulatorConnector,
  x: xConnector,
  facebook: facebookConnector,
  instagram: instagramConnector,
  webhook: webhookConnector,
} as const satisfies Record<ConnectorKind, Connector>;

export function connectorFor(kind: ConnectorKind): Connector {
  return connectors[kind];
}
