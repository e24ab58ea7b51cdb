import { PermanentFailure, type Connector } from '../connector';

// PLACEHOLDER: replaced by the real Facebook connector (connectors issue). Accepts nothing.
export const facebookConnector: Connector = {
  kind: 'facebook',
  verify: () => false,
  handshake: () => ({ status: 404, contentType: 'text/plain', body: 'not connected' }),
  normalize: () => ({ events: [], ignored: [] }),
  send: () => Promise.reject(new PermanentFailure('The Facebook connector is not built yet')),
  testConnection: () => Promise.resolve({ ok: false, error: 'The Facebook connector is not built yet' }),
};
