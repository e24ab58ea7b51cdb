import type { Types } from 'mongoose';
import type { UserDoc } from '../users/user.model';
import type { AuditEventDoc } from './audit-event.model';

/**
 * Who does something to a ticket, as the audit trail records it: a person, an automation
 * rule, an SLA policy, or Parley itself (auto-assignment, the bot). Domain functions that
 * change tickets take one, so every change can say who made it.
 */
export type Actor =
  | { kind: 'user'; user: UserDoc }
  | { kind: 'rule'; id: Types.ObjectId; name: string }
  | { kind: 'policy'; id: Types.ObjectId; name: string }
  | { kind: 'system'; name: string }
  | { kind: 'bot'; name: string };

export const userActor = (user: UserDoc): Actor => ({ kind: 'user', user });

/** The audit fields naming an actor: its id where it has one, its kind, and its name as it was. */
export function auditActorOf(actor: Actor): Pick<AuditEventDoc, 'actorId' | 'actorKind' | 'actorName'> {
  switch (actor.kind) {
    case 'user':
      return { actorId: actor.user._id, actorKind: 'user', actorName: actor.user.name };
    case 'rule':
    case 'policy':
      return { actorId: actor.id, actorKind: actor.kind, actorName: actor.name };
    case 'system':
    case 'bot':
      return { actorId: null, actorKind: actor.kind, actorName: actor.name };
  }
}
