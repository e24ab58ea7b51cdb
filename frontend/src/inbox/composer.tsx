import { lazy, Suspense, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { CannedResponse, GuardrailFinding, Message } from '@parley/common';
import { fillPlaceholders, useCannedResponses } from '../api/canned.queries';
import { ApiError } from '../api/client';
import { usePostMessage } from '../api/tickets.queries';
import { useToast } from '../components/toast';
import { strings } from '../i18n/strings';
import { clearDraft, loadDraft, saveDraft } from './draft';
import { HashtagWarning, useHashtagCheck } from './hashtag-warning';
import { loadTweetCounter, measure, platformOf, tweetCounterReady, type ComposerMode } from './length-limit';
import type { ConnectorKind } from '@parley/common';

export interface ComposerHandle {
  focusAs: (mode: ComposerMode) => void;
}

interface ComposerProps {
  ticketId: string;
  channelId: string;
  channelKind: ConnectorKind;
  imitates: unknown;
  /** The message being answered: its visibility picks the default mode. */
  answering: Message | undefined;
  firstName: string;
  agentName: string;
  onTyping: (typing: boolean) => void;
  /** Another agent's reply sent since this agent opened the ticket, if any. */
  collision: () => Message | undefined;
  onCollisionAccepted: () => void;
  ref?: Ref<ComposerHandle>;
}

// The picker and its emoji data load only when an agent first opens it.
const EmojiPicker = lazy(() => import('./emoji-picker'));
const modes: ComposerMode[] = ['public', 'private', 'note'];
const TYPING_RENEW_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.field ? `${error.field}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Public reply, private message or internal note, with the platform's length counted live; the draft survives everything. */
export function Composer({ ticketId, channelId, channelKind, imitates, answering, firstName, agentName, onTyping, collision, onCollisionAccepted, ref }: ComposerProps) {
  const defaultMode: ComposerMode = answering?.visibility === 'private' ? 'private' : 'public';
  const [text, setText] = useState(() => loadDraft(ticketId)?.text ?? '');
  const [mode, setMode] = useState<ComposerMode>(() => loadDraft(ticketId)?.mode ?? defaultMode);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [cannedIndex, setCannedIndex] = useState(0);
  const [confirming, setConfirming] = useState<Message>();
  // The guardrail warnings the agent is asked to look at before this reply goes out.
  const [guardrail, setGuardrail] = useState<GuardrailFinding[]>();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const emojiToggleRef = useRef<HTMLButtonElement>(null);
  const emojiPopoverRef = useRef<HTMLDivElement>(null);
  // Until the agent has been in the textarea its caret means nothing: an emoji then goes at the end.
  const textFocused = useRef(false);
  const caretAfterInsert = useRef<number>(undefined);
  const post = usePostMessage(ticketId);
  const canned = useCannedResponses();
  const toast = useToast();
  const hashtags = useHashtagCheck(channelId, text, mode === 'public');
  const typingState = useRef<{ since: number; idle: number | undefined }>({ since: 0, idle: undefined });

  useImperativeHandle(ref, () => ({
    focusAs: (wanted) => {
      setMode(wanted);
      textRef.current?.focus();
    },
  }));

  useEffect(() => saveDraft(ticketId, { text, mode }), [ticketId, text, mode]);

  const stopTyping = () => {
    window.clearTimeout(typingState.current.idle);
    if (typingState.current.since !== 0) onTyping(false);
    typingState.current.since = 0;
  };
  const typed = () => {
    const now = Date.now();
    if (now - typingState.current.since > TYPING_RENEW_MS) {
      typingState.current.since = now;
      onTyping(true);
    }
    window.clearTimeout(typingState.current.idle);
    typingState.current.idle = window.setTimeout(stopTyping, TYPING_IDLE_MS);
  };
  // Leaving the ticket stops "typing" for the others.
  useEffect(() => () => stopTyping(), [ticketId]);

  const platform = platformOf(channelKind, imitates);
  const [, setCounterLoaded] = useState(tweetCounterReady);
  useEffect(() => {
    if (platform === 'x' && !tweetCounterReady()) void loadTweetCounter().then(() => setCounterLoaded(true));
  }, [platform]);
  const { used, limit } = measure(text, platform, mode);
  const tooLong = used > limit;

  const slash = /(^|\s)\/([\w-]*)$/.exec(text);
  const suggestions: CannedResponse[] = slash ? (canned.data ?? []).filter((item) => item.shortcut.startsWith(slash[2] ?? '')).slice(0, 6) : [];
  const insertCanned = (item: CannedResponse) => {
    const filled = fillPlaceholders(item.text, { firstName, agentName });
    setText((old) => old.replace(/(^|\s)\/([\w-]*)$/, (_match, space: string) => `${space}${filled}`));
    setCannedIndex(0);
    textRef.current?.focus();
  };

  const closeEmoji = () => {
    setEmojiOpen(false);
    textRef.current?.focus();
  };
  const insertEmoji = (emoji: string) => {
    const area = textRef.current;
    const start = area && textFocused.current ? area.selectionStart : text.length;
    const end = area && textFocused.current ? area.selectionEnd : text.length;
    setText(`${text.slice(0, start)}${emoji}${text.slice(end)}`);
    caretAfterInsert.current = start + emoji.length;
    setEmojiOpen(false);
    typed();
  };
  // After an emoji is inserted the agent goes on typing right after it.
  useLayoutEffect(() => {
    const caret = caretAfterInsert.current;
    if (caret === undefined) return;
    caretAfterInsert.current = undefined;
    textRef.current?.focus();
    textRef.current?.setSelectionRange(caret, caret);
  }, [text]);
  // A click anywhere else closes the picker, as other popovers do.
  useEffect(() => {
    if (!emojiOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (emojiPopoverRef.current?.contains(target) || emojiToggleRef.current?.contains(target)) return;
      setEmojiOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [emojiOpen]);

  /** Only hashtag warnings can be confirmed here; anything else the server holds back shows as the error. */
  const confirmable = (findings: readonly GuardrailFinding[] | undefined): findings is GuardrailFinding[] =>
    !!findings && findings.length > 0 && findings.every((finding) => finding.kind === 'hashtag' && finding.severity === 'warn' && finding.confirmKey);

  const send = ({ collisionAccepted = false, confirm }: { collisionAccepted?: boolean; confirm?: string[] } = {}) => {
    const body = text.trim();
    if (!body || tooLong || post.isPending) return;
    const other = collisionAccepted ? undefined : collision();
    if (other && mode !== 'note') {
      setConfirming(other);
      return;
    }
    setConfirming(undefined);
    if (collisionAccepted) onCollisionAccepted();
    // The warnings the agent sees as they type are asked about before anything is sent.
    if (mode === 'public' && !confirm && hashtags.findings.length > 0) {
      setGuardrail(hashtags.findings);
      return;
    }
    setGuardrail(undefined);
    post.mutate(
      { text: body, visibility: mode, ...(answering && mode !== 'note' ? { replyToMessageId: answering.id } : {}), ...(confirm && confirm.length > 0 ? { confirm } : {}) },
      {
        onSuccess: (message) => {
          setText('');
          clearDraft(ticketId);
          stopTyping();
          if (message.deliveryState === 'pending_approval') toast(strings.composer.sentForApproval);
        },
        onError: (error) => {
          // The server's own second look (one the composer had not heard of yet): asked the same way.
          if (error instanceof ApiError && confirmable(error.findings)) setGuardrail(error.findings);
        },
      },
    );
  };
  const sendAnyway = () => {
    if (!guardrail) return;
    send({ confirm: [...new Set(guardrail.flatMap((finding) => (finding.confirmKey ? [finding.confirmKey] : [])))] });
  };
  const heldBack = post.isError && post.error instanceof ApiError && confirmable(post.error.findings);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setCannedIndex((index) => (index + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        const chosen = suggestions[cannedIndex] ?? suggestions[0];
        if (chosen) insertCanned(chosen);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };

  const counterId = `composer-counter-${ticketId}`;
  const errorId = `composer-error-${ticketId}`;
  return (
    <form
      className={`composer composer-${mode}`}
      aria-label={strings.composer.form}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <fieldset className="composer-modes">
        <legend className="visually-hidden">{strings.composer.mode}</legend>
        {modes.map((option) => (
          <label key={option} className={`mode-option${mode === option ? ' checked' : ''}`}>
            <input type="radio" name={`mode-${ticketId}`} value={option} checked={mode === option} onChange={() => setMode(option)} />
            {strings.composer.modes[option]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`composer-text-${ticketId}`} className="visually-hidden">
        {strings.composer.label}
      </label>
      <textarea
        id={`composer-text-${ticketId}`}
        ref={textRef}
        dir="auto"
        rows={4}
        value={text}
        placeholder={strings.composer.placeholder[mode]}
        aria-describedby={`${counterId}${post.isError && !heldBack ? ` ${errorId}` : ''}`}
        aria-invalid={tooLong || undefined}
        onChange={(event) => {
          setText(event.target.value);
          setGuardrail(undefined);
          if (event.target.value) typed();
          else stopTyping();
        }}
        onFocus={() => {
          textFocused.current = true;
        }}
        onBlur={stopTyping}
        onKeyDown={onKeyDown}
      />
      {suggestions.length > 0 && (
        <ul className="canned-list" role="listbox" aria-label={strings.composer.canned}>
          {suggestions.map((item, index) => (
            <li key={item.id} role="option" aria-selected={index === cannedIndex} className={index === cannedIndex ? 'active' : undefined} onMouseDown={(event) => event.preventDefault()} onClick={() => insertCanned(item)}>
              <strong>/{item.shortcut}</strong> {item.title}
            </li>
          ))}
        </ul>
      )}
      {confirming && (
        <div className="collision" role="alertdialog" aria-labelledby="collision-title" aria-describedby="collision-body">
          <p id="collision-title">
            <strong>{strings.composer.confirmTitle}</strong>
          </p>
          <p id="collision-body">{strings.composer.confirmBody}</p>
          <blockquote dir="auto">{confirming.text}</blockquote>
          <div className="composer-actions">
            <button type="button" className="button primary-inline" onClick={() => send({ collisionAccepted: true })}>
              {strings.composer.confirmSend}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(undefined)}>
              {strings.composer.confirmCancel}
            </button>
          </div>
        </div>
      )}
      {mode === 'public' && (guardrail || hashtags.findings.length > 0) && (
        <HashtagWarning
          findings={guardrail ?? hashtags.findings}
          confirming={guardrail !== undefined}
          onSendAnyway={sendAnyway}
          onKeepEditing={() => {
            setGuardrail(undefined);
            textRef.current?.focus();
          }}
          sending={post.isPending}
        />
      )}
      {post.isError && !heldBack && (
        <p id={errorId} className="form-error" role="alert">
          {strings.composer.sendFailed(describe(post.error))}
        </p>
      )}
      <div className="composer-actions">
        <button type="button" ref={emojiToggleRef} className="button secondary small" aria-expanded={emojiOpen} aria-controls={`emoji-${ticketId}`} onClick={() => setEmojiOpen((open) => !open)}>
          <span aria-hidden="true">🙂</span> {strings.composer.emoji}
        </button>
        <span id={counterId} className={`counter${tooLong ? ' over' : ''}`} aria-live="polite">
          {strings.composer.counter(used, limit)}
          {tooLong && ` — ${strings.composer.tooLong}`}
        </span>
        <span className="muted hint">{strings.composer.hint}</span>
        <button type="submit" className="button primary-inline" disabled={post.isPending || tooLong || text.trim() === ''}>
          {post.isPending ? strings.composer.sending : strings.composer.send}
        </button>
      </div>
      {emojiOpen && (
        <div
          id={`emoji-${ticketId}`}
          ref={emojiPopoverRef}
          className="emoji-popover"
          role="dialog"
          aria-label={strings.composer.emojiList}
          onKeyDown={(event) => {
            // The picker has handled its keys by now. The inbox's one-letter shortcuts must not see them,
            // and Enter in its search must not submit the reply form.
            event.stopPropagation();
            if (event.key === 'Enter' && event.target instanceof HTMLInputElement) event.preventDefault();
            // The picker keeps the Escapes it uses (closing the skin-tone menu, clearing the search); the rest close it.
            if (event.key === 'Escape' && !event.defaultPrevented) {
              event.preventDefault();
              closeEmoji();
            }
          }}
        >
          <Suspense fallback={<p className="emoji-loading muted">{strings.composer.emojiLoading}</p>}>
            <EmojiPicker onPick={insertEmoji} />
          </Suspense>
        </div>
      )}
    </form>
  );
}
