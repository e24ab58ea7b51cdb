import { Types } from 'mongoose';
import { z } from 'zod';
import { objectIdSchema, slaClockStateSchema, type SlaClockValue } from '@parley/common';
import type { TicketDoc, TicketSlaDoc } from '../tickets/ticket.model';

/** How a ticket's clocks are stored (ticket.slaClocks): JSON, dates as ISO strings, ids as hex. */
const storedDate = z.iso.datetime().transform((value) => new Date(value));
const storedClockSchema = z
  .object({
    state: slaClockStateSchema,
    targetMinutes: z.number(),
    startedAt: storedDate,
    dueAt: storedDate,
    remainingMinutes: z.number().nullable(),
    completedAt: storedDate.nullable(),
    breachedAt: storedDate.nullable(),
  })
  .nullable();
const storedSlaSchema = z.object({
  policyId: objectIdSchema.nullable(),
  policyName: z.string().nullable(),
  businessHoursId: objectIdSchema.nullable(),
  firstResponse: storedClockSchema,
  nextResponse: storedClockSchema,
  resolution: storedClockSchema,
});

const clockJson = (clock: SlaClockValue | null) =>
  clock && {
    ...clock,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt.toISOString(),
    completedAt: clock.completedAt?.toISOString() ?? null,
    breachedAt: clock.breachedAt?.toISOString() ?? null,
  };

export function encodeSla(sla: TicketSlaDoc): string {
  return JSON.stringify({
    policyId: sla.policyId?.toHexString() ?? null,
    policyName: sla.policyName,
    businessHoursId: sla.businessHoursId?.toHexString() ?? null,
    firstResponse: clockJson(sla.firstResponse),
    nextResponse: clockJson(sla.nextResponse),
    resolution: clockJson(sla.resolution),
  });
}

/** The ticket's clocks, or undefined when it has none (or what is stored cannot be read). */
export function slaOf(ticket: Pick<TicketDoc, 'slaClocks'>): TicketSlaDoc | undefined {
  if (!ticket.slaClocks) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(ticket.slaClocks);
  } catch {
    return undefined;
  }
  const parsed = storedSlaSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { policyId, businessHoursId, ...rest } = parsed.data;
  return { ...rest, policyId: policyId ? new Types.ObjectId(policyId) : null, businessHoursId: businessHoursId ? new Types.ObjectId(businessHoursId) : null };
}
