import { PermanentFailure, type Connector } from '../connector';

// PLACEHOLDER: replaced by the real X connector (connectors issue). Accepts nothing.
export const xConnector: Connector = {
  kind: 'x',
  verify: () => false,
  handshake: () => ({ status: 404, contentType: 'text/plain', body: 'not connected' }),
  normalize: () => ({ events: [], ignored: [] }),
  send: () => Promise.reject(new PermanentFailure('The X connector is not built yet')),
  testConnection: () => Promise.resolve({ ok: false, error: 'The X connector is not built yet' }),
};
