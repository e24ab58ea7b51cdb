import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: default Node metrics plus Parley's own. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new Histogram({
  name: 'parley_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const jobsTotal = new Counter({
  name: 'parley_jobs_total',
  help: 'Queue jobs finished, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'parley_job_duration_seconds',
  help: 'Queue job processing time by queue',
  labelNames: ['queue'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'parley_webhook_deliveries_total',
  help: 'Webhook deliveries by channel kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const rawEventsFailed = new Counter({
  name: 'parley_raw_events_failed_total',
  help: 'Raw events that could not be processed, by channel kind and reason',
  labelNames: ['kind', 'reason'] as const,
  registers: [registry],
});

export const outboundDeliveries = new Counter({
  name: 'parley_outbound_deliveries_total',
  help: 'Outbound delivery attempts by channel kind and outcome (sent, found_sent, rate_limited, retry, failed, reauth)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const platformItemsIgnored = new Counter({
  name: 'parley_platform_items_ignored_total',
  help: 'Platform items recognised and not turned into messages (likes, typing, unknown types), by kind and type',
  labelNames: ['kind', 'type'] as const,
  registers: [registry],
});

export const messagesIngested = new Counter({
  name: 'parley_messages_ingested_total',
  help: 'Inbound events by outcome (stored, duplicate, updated, ignored)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const platformUrlsDropped = new Counter({
  name: 'parley_platform_urls_dropped_total',
  help: 'URLs from platforms or webhook senders dropped before storing because they are not http(s), by channel kind and field (avatarUrl, attachments.url)',
  labelNames: ['kind', 'field'] as const,
  registers: [registry],
});
