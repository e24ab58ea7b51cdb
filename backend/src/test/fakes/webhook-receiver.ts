import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@parley/common';
import { hmacSha256, signaturesMatch } from '../../connectors/signature';

/**
 * A local receiver of the generic webhook channel's replies, as a customer's system would
 * be: it checks the X-Parley-Signature (401 when it does not match), stores each reply
 * once per Idempotency-Key (a repeat answers the first id) and answers `{id}`. It records
 * every request, and can be told how to answer the next ones.
 */

export interface ReceivedRequest {
  headers: Record<string, string | undefined>;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

export type ReceiverAnswer =
  /** 429 with Retry-After (seconds). */
  | { status: 429; retryAfterSeconds: number }
  /** 503 Service Unavailable. */
  | { status: 503 }
  /** 401: the signature secret is no longer accepted. */
  | { status: 401 }
  /** 400 with an error message: the reply will never be accepted. */
  | { status: 400; message: string }
  /** The reply is stored, then the connection is dropped before any answer. */
  | 'accept-then-drop';

export interface WebhookReceiver {
  url: string;
  /** Every request, in order. */
  requests: ReceivedRequest[];
  /** The replies stored, one per Idempotency-Key. */
  stored: Map<string, { id: string; body: Record<string, unknown> }>;
  /** Answers the next requests this way, in order, then normally again. */
  answerNext(...answers: ReceiverAnswer[]): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, { id: string; body: Record<string, unknown> }>();
  const scripted: ReceiverAnswer[] = [];
  let sequence = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const store = (key: string | undefined, body: Record<string, unknown>) => {
    const existing = key ? stored.get(key) : undefined;
    if (existing) return existing;
    sequence += 1;
    const entry = { id: `rcv-${sequence}`, body };
    stored.set(key ?? `no-key-${sequence}`, entry);
    return entry;
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
      const timestamp = headers[WEBHOOK_TIMESTAMP_HEADER];
      const signed = timestamp ? `${timestamp}.${raw}` : raw;
      const signatureValid = signaturesMatch(headers[SIGNATURE_HEADER], `sha256=${hmacSha256(secret, signed, 'hex')}`);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // recorded as {}
      }
      requests.push({ headers, body, signatureValid });
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
      if (!signatureValid) return json(res, 401, { error: 'bad signature' });

      const answer = scripted.shift();
      if (answer === 'accept-then-drop') {
        store(headers['idempotency-key'], body);
        req.socket.destroy();
        return;
      }
      if (answer?.status === 429) return json(res, 429, { error: 'slow down' }, { 'retry-after': String(answer.retryAfterSeconds) });
      if (answer?.status === 503) return json(res, 503, { error: 'maintenance' });
      if (answer?.status === 401) return json(res, 401, { error: 'this signing secret was revoked' });
      if (answer?.status === 400) return json(res, 400, { error: { message: answer.message } });

      if (body.type === 'ping') return json(res, 200, { ok: true });
      return json(res, 200, { id: store(headers['idempotency-key'], body).id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/parley/replies`,
    requests,
    stored,
    answerNext: (...answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
