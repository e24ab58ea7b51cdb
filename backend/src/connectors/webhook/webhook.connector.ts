import { PermanentFailure, type Connector } from '../connector';

// PLACEHOLDER: replaced by the real Webhook connector (connectors issue). Accepts nothing.
export const webhookConnector: Connector = {
  kind: 'webhook',
  verify: () => false,
  handshake: () => ({ status: 404, contentType: 'text/plain', body: 'not connected' }),
  normalize: () => ({ events: [], ignored: [] }),
  send: () => Promise.reject(new PermanentFailure('The Webhook connector is not built yet')),
  testConnection: () => Promise.resolve({ ok: false, error: 'The Webhook connector is not built yet' }),
};
