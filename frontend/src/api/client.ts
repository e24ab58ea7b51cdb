import type { z } from 'zod';
import { errorBodySchema, guardrailErrorBodySchema, type ErrorCode, type GuardrailFinding } from '@parley/common';

/** A failed API call, carrying the server's error code, for invalid input the field, and for a guardrail its findings. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly field?: string,
    /** A guardrail's findings, when it held a public reply back (422). */
    readonly findings?: GuardrailFinding[],
    /** The whole error body, for answers that say more than the usual error (a move's 409, a guardrail's findings). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, with its own content type (a CSV file), instead of a JSON body. */
  upload?: { contentType: string; data: Blob | string };
  signal?: AbortSignal;
}

function bodyOf({ body, upload }: RequestOptions): { headers: Record<string, string>; body?: BodyInit } {
  if (upload) return { headers: { accept: 'application/json', 'content-type': upload.contentType }, body: upload.data };
  if (body === undefined) return { headers: { accept: 'application/json' } };
  return { headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * Calls the Parley API (same origin, session cookie) and validates the answer with the
 * schema from common/, so a shape drift between server and client fails loudly here.
 */
export async function apiFetch<S extends z.ZodType>(path: string, schema: S, options?: RequestOptions): Promise<z.output<S>>;
export async function apiFetch(path: string, schema: null, options?: RequestOptions): Promise<void>;
export async function apiFetch<S extends z.ZodType>(path: string, schema: S | null, options: RequestOptions = {}): Promise<z.output<S> | void> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      ...bodyOf(options),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'network error');
  }

  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const guardrail = guardrailErrorBodySchema.safeParse(body);
    if (guardrail.success) throw new ApiError(response.status, 'guardrail', guardrail.data.error.message, 'text', guardrail.data.error.findings, body);
    const parsed = errorBodySchema.safeParse(body);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.field, undefined, body);
    throw new ApiError(response.status, response.status >= 500 ? 'internal' : 'invalid', response.statusText || `HTTP ${response.status}`);
  }
  if (schema === null || response.status === 204) return;
  return schema.parse(await response.json());
}
