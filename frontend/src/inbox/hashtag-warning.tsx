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
export function useHashtagCheck(channelId: string, text: string, enabled: boolean): { findings: GuardrailFinding[]; checking: boolean } {
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
  const checking = tags.some((tag) => !known?.has(tag));
  return { findings, checking: enabled && checking && tags.length > 0 };
}

/** One entry per hashtag: its first finding (they share the message, the key and the posts). */
function byHashtag(findings: readonly GuardrailFinding[]): GuardrailFinding[] {
  const seen = new Map<string, GuardrailFinding>();
  for (const finding of findings) if (finding.kind === 'hashtag' && !seen.has(finding.confirmKey ?? finding.text)) seen.set(finding.confirmKey ?? finding.text, finding);
  return [...seen.values()];
}

interface HashtagWarningProps {
  findings: readonly GuardrailFinding[];
  /** The agent pressed Send (or the server held the reply back): they choose now. */
  confirming: boolean;
  onSendAnyway: () => void;
  onKeepEditing: () => void;
  sending: boolean;
}

/** The hashtags of a public reply that need a second look, with the recent public posts that used them. */
export function HashtagWarning({ findings, confirming, onSendAnyway, onKeepEditing, sending }: HashtagWarningProps) {
  const entries = byHashtag(findings);
  if (entries.length === 0) return null;
  const titleId = 'hashtag-warning-title';
  return (
    <section
      className={`hashtag-warning${confirming ? ' confirming' : ''}`}
      role={confirming ? 'alertdialog' : 'status'}
      aria-labelledby={titleId}
      aria-live={confirming ? undefined : 'polite'}
    >
      <p id={titleId} className="hashtag-warning-title">
        <strong>{strings.composer.hashtagTitle}</strong>
      </p>
      <ul className="hashtag-findings">
        {entries.map((finding) => (
          <li key={finding.confirmKey ?? finding.text} className="hashtag-finding">
            <p className="hashtag-message" dir="auto">
              {finding.message}
            </p>
            {finding.examples && finding.examples.length > 0 ? (
              <details className="hashtag-examples" open={confirming}>
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
            ) : (
              <p className="muted hashtag-no-posts">{strings.composer.hashtagNoPosts}</p>
            )}
          </li>
        ))}
      </ul>
      {confirming && (
        <div className="composer-actions">
          <button type="button" className="button primary-inline" disabled={sending} onClick={onSendAnyway}>
            {strings.composer.hashtagSendAnyway}
          </button>
          <button type="button" className="button secondary" onClick={onKeepEditing}>
            {strings.composer.hashtagKeepEditing}
          </button>
        </div>
      )}
    </section>
  );
}
