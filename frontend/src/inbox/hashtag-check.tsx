import { useEffect, useMemo, useState } from 'react';
import { findingsForHashtags, hashtagsOf, type GuardrailFinding } from '@parley/common';
import { useHashtagKnowledge } from '../api/hashtags.queries';
import { strings } from '../i18n/strings';
import { absoluteTime, relativeTime } from './format';

const ASK_AFTER_MS = 350;

/**
 * The hashtag second look as the agent types a public reply: the same findings the server
 * answers with (common/src/hashtags.ts), from what the channel knows of the draft's tags.
 */
export function useHashtagCheck(channelId: string, text: string, enabled: boolean): { findings: GuardrailFinding[] } {
  const tags = useMemo(() => (enabled ? hashtagsOf(text) : []), [enabled, text]);
  const key = tags.join(',');
  // Asked once the agent pauses, not at every key.
  const [asked, setAsked] = useState<string[]>([]);
  useEffect(() => {
    const timer = window.setTimeout(() => setAsked(key ? key.split(',') : []), ASK_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [key]);
  const knowledge = useHashtagKnowledge(channelId, asked);
  const known = knowledge.data;
  const findings = useMemo(() => (enabled && known ? findingsForHashtags(text, (tag) => known.get(tag)) : []), [enabled, known, text]);
  return { findings };
}

/** The recent public posts that used a hashtag needing a second look, under its finding. */
export function FindingExamples({ finding }: { finding: GuardrailFinding }) {
  if (finding.kind !== 'hashtag') return null;
  if (!finding.examples || finding.examples.length === 0) return <p className="muted hashtag-no-posts">{strings.composer.hashtagNoPosts}</p>;
  return (
    <details className="hashtag-examples">
      <summary>
        {strings.composer.hashtagPosts} ({finding.examples.length})
      </summary>
      <ul>
        {finding.examples.map((example) => (
          <li key={example.messageId}>
            <span className="hashtag-example-author" dir="auto">
              {example.authorName ?? example.authorHandle ?? ''}
              {example.authorHandle && example.authorName ? ` @${example.authorHandle}` : ''}
            </span>{' '}
            <time dateTime={example.sentAt} title={absoluteTime(example.sentAt)}>
              {relativeTime(example.sentAt)}
            </time>
            <blockquote dir="auto">{example.text}</blockquote>
          </li>
        ))}
      </ul>
    </details>
  );
}
