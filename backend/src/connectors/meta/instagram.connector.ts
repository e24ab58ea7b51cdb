import { PermanentFailure, type Connector } from '../connector';

// PLACEHOLDER: replaced by the real Instagram connector (connectors issue). Accepts nothing.
export const instagramConnector: Connector = {
  kind: 'instagram',
  verify: () => false,
  handshake: () => ({ status: 404, contentType: 'text/plain', body: 'not connected' }),
  normalize: () => ({ events: [], ignored: [] }),
  send: () => Promise.reject(new PermanentFailure('The Instagram connector is not built yet')),
  testConnection: () => Promise.resolve({ ok: false, error: 'The Instagram connector is not built yet' }),
};
