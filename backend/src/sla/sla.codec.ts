import { Types } from 'mongoose';
import { z } from 'zod';
import { objectIdSchema, slaClockSchema, slaPauseStatusSchema } from '@parley/common';
import type { TicketDoc, TicketSlaDoc } from '../tickets/ticket.model';
import { presentClock } from './sla.presenter';

/** How a ticket's clocks are stored (ticket.slaClocks): JSON, each clock as the API shows it, ids as hex. */
const storedDate = z.iso.datetime().transform((value) => new Date(value));
const storedClockSchema = slaClockSchema
  .extend({ startedAt: storedDate, dueAt: storedDate, completedAt: storedDate.nullable(), breachedAt: storedDate.nullable() })
  .nullable();
const storedSlaSchema = z.object({
  policyId: objectIdSchema.nullable(),
  policyName: z.string().nullable(),
  businessHoursId: objectIdSchema.nullable(),
  /** Absent on tickets stored before policies chose them. */
  pauseStatuses: z.array(slaPauseStatusSchema).optional(),
  warnAtShare: z.number().optional(),
  firstResponse: storedClockSchema,
  nextResponse: storedClockSchema,
  resolution: storedClockSchema,
});

export function encodeSla(sla: TicketSlaDoc): string {
  return JSON.stringify({
    policyId: sla.policyId?.toHexString() ?? null,
    policyName: sla.policyName,
    businessHoursId: sla.businessHoursId?.toHexString() ?? null,
    ...(sla.pauseStatuses ? { pauseStatuses: sla.pauseStatuses } : {}),
    warnAtShare: sla.warnAtShare,
    firstResponse: presentClock(sla.firstResponse),
    nextResponse: presentClock(sla.nextResponse),
    resolution: presentClock(sla.resolution),
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
  const { policyId, businessHoursId, pauseStatuses, ...rest } = parsed.data;
  return { ...rest, ...(pauseStatuses ? { pauseStatuses } : {}), policyId: policyId ? new Types.ObjectId(policyId) : null, businessHoursId: businessHoursId ? new Types.ObjectId(businessHoursId) : null };
}
