import type { InfluenceTier, Sentiment } from '@parley/common';
import { triageStrings } from './triage.strings';

/** How far the customer's words carry, as a badge; nothing for standard reach. */
export function TierBadge({ tier }: { tier: InfluenceTier }) {
  if (tier === 'standard') return null;
  return (
    <span className={`badge tier tier-${tier}`} title={triageStrings.tierTitles[tier]}>
      {triageStrings.tiers[tier]}
    </span>
  );
}

export function SentimentBadge({ sentiment }: { sentiment: Sentiment | null }) {
  if (!sentiment) return null;
  const label = triageStrings.sentiments[sentiment.label];
  return (
    <span className={`badge sentiment sentiment-${sentiment.label}`} title={triageStrings.sentimentTitle(label, sentiment.score)}>
      {label}
    </span>
  );
}

export function LanguageBadge({ language }: { language: string | null }) {
  if (!language || language === 'und') return null;
  return (
    <span className="badge language" title={triageStrings.language(language)} lang={language}>
      {language.toUpperCase()}
    </span>
  );
}
