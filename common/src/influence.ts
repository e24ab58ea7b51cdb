import { z } from 'zod';

/**
 * How far a person's words carry: the influence tier of a contact, from the reach the
 * platforms report (followers) and their verification, documented here once for triage,
 * SLA policy conditions, the inbox badge and reports. The brand's own VIP and press lists
 * (triage) lift a contact to `vip` whatever their reach.
 */
export const influenceTierSchema = z.enum(['celebrity', 'high', 'notable', 'standard', 'vip']);
export type InfluenceTier = z.infer<typeof influenceTierSchema>;

/** Follower thresholds of the reach tiers, highest first. */
export const INFLUENCE_THRESHOLDS = [
  { tier: 'celebrity', followers: 1_000_000 },
  { tier: 'high', followers: 100_000 },
  { tier: 'notable', followers: 10_000 },
] as const satisfies ReadonlyArray<{ tier: InfluenceTier; followers: number }>;

/**
 * A contact's tier from the largest reach among their identities: ≥ 1M followers "celebrity",
 * ≥ 100k "high", ≥ 10k "notable", else "standard"; a verified account is at least "notable";
 * `vip` when the brand lists them.
 */
export function influenceTierOf(identities: ReadonlyArray<{ followers?: number | undefined; verified?: boolean | undefined }>, { vip = false }: { vip?: boolean } = {}): InfluenceTier {
  if (vip) return 'vip';
  const followers = Math.max(0, ...identities.map((identity) => identity.followers ?? 0));
  const reached = INFLUENCE_THRESHOLDS.find((threshold) => followers >= threshold.followers)?.tier;
  if (reached) return reached;
  return identities.some((identity) => identity.verified) ? 'notable' : 'standard';
}
