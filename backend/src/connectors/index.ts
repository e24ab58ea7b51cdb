import type { ConnectorKind } from '@parley/common';
import type { Connector } from './connector';
import { simulatorConnector } from './simulator/simulator.connector';

/** Every connector, one per channel kind: a kind without a connector does not compile. */
export const connectors = {
  simulator: simulatorConnector,
} as const satisfies Record<ConnectorKind, Connector>;

export function connectorFor(kind: ConnectorKind): Connector {
  return connectors[kind];
}
