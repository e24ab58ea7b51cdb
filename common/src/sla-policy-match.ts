import type { InfluenceTier } from './influence';
import type { SlaOrigin } from './sla';

/** A policy's conditions, ids as hex: each list empty (or absent, on older policies) matches anything. */
export interface SlaPolicyConditions {
  channelIds?: readonly string[] | undefined;
  origins?: readonly SlaOrigin[] | undefined;
  teamIds?: readonly string[] | undefined;
  influenceTiers?: readonly InfluenceTier[] | undefined;
}

/** What a new ticket is matched on. */
export interface SlaMatchSubject {
  channelId: string;
  origin: SlaOrigin;
  teamId: string | null;
  influenceTier: InfluenceTier;
}

/** A policy as the matching sees it: its conditions, whether it is on, and where it stands. */
export interface OrderedSlaPolicy extends SlaPolicyConditions {
  active: boolean;
  /** Lower first; absent (a policy stored before orders) after every ordered one. */
  order?: number | undefined;
  createdAt: Date | string;
}

const allows = <T>(list: readonly T[] | undefined, value: T | null) => !list || list.length === 0 || (value !== null && list.includes(value));

/** Every condition kind holds (AND); within a kind any listed value does (OR). No conditions: matches everything. */
export function policyMatches(conditions: SlaPolicyConditions, subject: SlaMatchSubject): boolean {
  return (
    allows(conditions.channelIds, subject.channelId) &&
    allows(conditions.origins, subject.origin) &&
    allows(conditions.teamIds, subject.teamId) &&
    allows(conditions.influenceTiers, subject.influenceTier)
  );
}

const timeOf = (date: Date | string) => new Date(date).getTime();

/** The order policies are tried in: by order, then the older first. */
export function comparePolicyOrder(a: OrderedSlaPolicy, b: OrderedSlaPolicy): number {
  return (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || timeOf(a.createdAt) - timeOf(b.createdAt);
}

/** The ticket's policy: the first active one, in order, whose conditions all match; undefined when none does. */
export function firstMatchingPolicy<P extends OrderedSlaPolicy>(policies: readonly P[], subject: SlaMatchSubject): P | undefined {
  return policies
    .filter((policy) => policy.active)
    .sort(comparePolicyOrder)
    .find((policy) => policyMatches(policy, subject));
}
