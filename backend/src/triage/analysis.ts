// PLACEHOLDER until helper A's analysis lands (not for main).
import type { Sentiment } from '@parley/common';
export interface TextAnalysis { language: string; sentiment: Sentiment }
export function analyzeText(text: string): TextAnalysis {
  const negative = /(still waiting|lost|not happy|no funciona|ne marche pas|refund|lawsuit|terrible|worst)/i.test(text);
  const positive = /(thank|love|great|gracias|merci)/i.test(text);
  return { language: text.trim() ? 'en' : 'und', sentiment: negative ? { score: -0.7, label: 'negative' } : positive ? { score: 0.6, label: 'positive' } : { score: 0, label: 'neutral' } };
}
