import { lazy, Suspense, useDeferredValue, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useSearchParams } from 'react-router';
import { cannedTextFor, checkPublicReply, type CannedResponse, type GuardrailFinding, type Message, type MoveToPrivate } from '@parley/common';
import { fillPlaceholders, useCannedResponses } from '../api/canned.queries';
import { ApiError } from '../api/client';
import { useToast } from '../components/toast';
import { useGuardrailContext } from '../api/guardrails.queries';
import { usePostMessage } from '../api/tickets.queries';
import { strings } from '../i18n/strings';
import { clearDraft, loadDraft, loadMoveDraft, saveDraft } from './draft';
import { FindingsList, HighlightBackdrop, mergeFindings, stillPresent } from './guardrail-findings';
import { useHashtagCheck } from './hashtag-check';
import { MoveToPrivatePanel, initialMoveTexts, moveTargetOf } from './move-to-private';
import { loadTweetCounter, measure, platformOf, tweetCounterReady, type ComposerMode } from './length-limit';
import type { ConnectorKind } from '@parley/common';

export interface ComposerHandle {
  focusAs: (mode: ComposerMode) => void;
}

interface ComposerProps {
  ticketId: string;
  /** The ticket's channel: what it knows of hashtags decides the hashtag second look. */
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
  /** The whole thread: a move to private answers the customer's latest public message, in their language. */
  thread: Message[];
  /** The ticket's move to private, if one was started. */
  move: MoveToPrivate | null;
  viewId: string;
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
export function Composer({ ticketId, channelId, channelKind, imitates, answering, firstName, agentName, onTyping, collision, onCollisionAccepted, thread, move, viewId, ref }: ComposerProps) {
  // ?compose=private: opened to write to the customer privately (a supervisor reaching out to an ambassador).
  const [searchParams] = useSearchParams();
  const asked = searchParams.get('compose');
  const defaultMode: ComposerMode = asked === 'private' || asked === 'note' ? asked : answering?.visibility === 'private' ? 'private' : 'public';
  const [text, setText] = useState(() => loadDraft(ticketId)?.text ?? '');
  const [mode, setMode] = useState<ComposerMode>(() => loadDraft(ticketId)?.mode ?? defaultMode);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [cannedIndex, setCannedIndex] = useState(0);
  const [confirming, setConfirming] = useState<Message>();
  // "Reply & move to private" replaces the reply form while it is open (and comes back open with its texts after a reload).
  const [moving, setMoving] = useState(() => loadMoveDraft(ticketId) !== undefined);
  // What the agent had typed when a guardrail sent them to move to private: it becomes the private message.
  const [movingWith, setMovingWith] = useState<string>();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const emojiToggleRef = useRef<HTMLButtonElement>(null);
  const emojiPopoverRef = useRef<HTMLDivElement>(null);
  // Until the agent has been in the textarea its caret means nothing: an emoji then goes at the end.
  const textFocused = useRef(false);
  const caretAfterInsert = useRef<number>(undefined);
  const post = usePostMessage(ticketId);
  const toast = useToast();
  const canned = useCannedResponses();
  const typingState = useRef<{ since: number; idle: number | undefined }>({ since: 0, idle: undefined });
  const backdropRef = useRef<HTMLDivElement>(null);

  // Guardrails: the same check the server runs, on every change of a public reply.
  const guardrailContext = useGuardrailContext(ticketId);
  const checkedText = useDeferredValue(text);
  // The hashtag second look needs what the channel knows of the draft's tags: asked from the server.
  const hashtags = useHashtagCheck(channelId, checkedText, mode === 'public');
  const localFindings = useMemo(
    () => (mode === 'public' && guardrailContext.data ? [...checkPublicReply(checkedText, guardrailContext.data), ...hashtags.findings] : hashtags.findings),
    [mode, checkedText, guardrailContext.data, hashtags.findings],
  );
  // What the server found that the composer could not (another check, newer settings), while it still applies.
  const [serverFindings, setServerFindings] = useState<GuardrailFinding[]>([]);
  const findings = mode === 'public' ? stillPresent(mergeFindings(localFindings, serverFindings), text) : [];
  const guardrailBlocked = findings.some((finding) => finding.severity === 'block');
  const confirmKeys = [...new Set(findings.flatMap((finding) => (finding.severity === 'warn' && finding.confirmKey ? [finding.confirmKey] : [])))];
  const [confirmingWarnings, setConfirmingWarnings] = useState(false);
  const pendingConfirm = useRef<string[] | undefined>(undefined);
  // Personal data belongs in private: the public reply becomes a short acknowledgement and
  // what the agent wrote goes in the private message (where no move is possible, they write privately).
  const moveToPrivate = () => {
    if (moveTargetOf(thread) && (!move || move.state === 'failed')) {
      setMovingWith(text);
      setMoving(true);
      return;
    }
    setMode('private');
    textRef.current?.focus();
  };

  useImperativeHandle(ref, () => ({
    focusAs: (wanted) => {
      setMoving(false);
      setMode(wanted);
      textRef.current?.focus();
    },
  }));

  useEffect(() => saveDraft(ticketId, { text, mode }), [ticketId, text, mode]);
  // Once the conversation has moved to private, the next answer goes there too (unless the agent is writing one already).
  const moveState = move?.state;
  useEffect(() => {
    if (moveState === 'awaiting_customer' || moveState === 'private') setMode((current) => (textRef.current?.value ? current : 'private'));
  }, [moveState]);

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
    // In the customer's language when the reply has a text in it.
    const filled = fillPlaceholders(cannedTextFor(item, answering?.language), { firstName, agentName });
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

  /** Sends the reply; `confirm` carries the keys of the guardrail warnings the agent accepted ("Send anyway"). */
  const send = (confirmed = false, confirm: string[] | undefined = pendingConfirm.current) => {
    const body = text.trim();
    if (!body || tooLong || post.isPending) return;
    if (mode === 'public' && guardrailBlocked) return;
    const unconfirmed = mode === 'public' ? confirmKeys.filter((key) => !confirm?.includes(key)) : [];
    if (unconfirmed.length > 0) {
      setConfirmingWarnings(true);
      return;
    }
    const other = confirmed ? undefined : collision();
    if (other && mode !== 'note') {
      pendingConfirm.current = confirm;
      setConfirming(other);
      return;
    }
    setConfirming(undefined);
    setConfirmingWarnings(false);
    pendingConfirm.current = undefined;
    if (confirmed) onCollisionAccepted();
    post.mutate(
      {
        text: body,
        visibility: mode,
        ...(answering && mode !== 'note' ? { replyToMessageId: answering.id } : {}),
        ...(mode === 'public' && confirm && confirm.length > 0 ? { confirm } : {}),
      },
      {
        onSuccess: (message) => {
          if (message.deliveryState === 'pending_approval') toast(strings.composer.sentForApproval);
          setText('');
          setServerFindings([]);
          clearDraft(ticketId);
          stopTyping();
        },
        onError: (error) => {
          if (!(error instanceof ApiError) || !error.findings) return;
          // The server's findings join the composer's (with their spans), and warnings ask to be confirmed.
          setServerFindings(error.findings);
          if (error.findings.every((finding) => finding.severity === 'warn')) setConfirmingWarnings(true);
        },
      },
    );
  };

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

  const moveTarget = moveTargetOf(thread);
  const canMove = moveTarget !== undefined && (!move || move.state === 'failed');
  if (moving && moveTarget) {
    return (
      <MoveToPrivatePanel
        ticketId={ticketId}
        viewId={viewId}
        platform={platform}
        channelName={platform === 'other' ? strings.channelKinds[channelKind] : strings.channelKinds[platform]}
        target={moveTarget}
        initial={movingWith === undefined ? initialMoveTexts(thread, canned.data, { firstName, agentName }) : { ...initialMoveTexts(thread, canned.data, { firstName, agentName }), privateText: movingWith }}
        onDone={() => {
          setMoving(false);
          setMovingWith(undefined);
        }}
      />
    );
  }

  const counterId = `composer-counter-${ticketId}`;
  const errorId = `composer-error-${ticketId}`;
  const findingsId = `composer-findings-${ticketId}`;
  const guardrailError = post.error instanceof ApiError && post.error.findings !== undefined;
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
      <div className={`composer-field${mode === 'public' ? ' composer-field-checked' : ''}`}>
      {mode === 'public' && <HighlightBackdrop ref={backdropRef} text={text} findings={findings} />}
      <textarea
        id={`composer-text-${ticketId}`}
        ref={textRef}
        dir="auto"
        rows={4}
        value={text}
        placeholder={strings.composer.placeholder[mode]}
        aria-describedby={`${counterId} ${findingsId}${post.isError && !guardrailError ? ` ${errorId}` : ''}`}
        aria-invalid={tooLong || guardrailBlocked || undefined}
        onScroll={(event) => {
          if (backdropRef.current) backdropRef.current.scrollTop = event.currentTarget.scrollTop;
        }}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) typed();
          else stopTyping();
        }}
        onFocus={() => {
          textFocused.current = true;
        }}
        onBlur={stopTyping}
        onKeyDown={onKeyDown}
      />
      </div>
      <FindingsList
        id={findingsId}
        findings={findings}
        onMoveToPrivate={moveToPrivate}
        onConfirm={() => send(false, confirmKeys)}
        confirming={confirmingWarnings}
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
            <button type="button" className="button primary-inline" onClick={() => send(true, pendingConfirm.current)}>
              {strings.composer.confirmSend}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                pendingConfirm.current = undefined;
                setConfirming(undefined);
              }}
            >
              {strings.composer.confirmCancel}
            </button>
          </div>
        </div>
      )}
      {post.isError && !guardrailError && (
        <p id={errorId} className="form-error" role="alert">
          {strings.composer.sendFailed(describe(post.error))}
        </p>
      )}
      <div className="composer-actions">
        <button type="button" ref={emojiToggleRef} className="button secondary small" aria-expanded={emojiOpen} aria-controls={`emoji-${ticketId}`} onClick={() => setEmojiOpen((open) => !open)}>
          <span aria-hidden="true">🙂</span> {strings.composer.emoji}
        </button>
        {canMove && (
          <button type="button" className="button secondary small" onClick={() => setMoving(true)}>
            {strings.moveToPrivate.open}
          </button>
        )}
        <span id={counterId} className={`counter${tooLong ? ' over' : ''}`} aria-live="polite">
          {strings.composer.counter(used, limit)}
          {tooLong && ` — ${strings.composer.tooLong}`}
        </span>
        <span className="muted hint">{strings.composer.hint}</span>
        <button type="submit" className="button primary-inline" disabled={post.isPending || tooLong || text.trim() === '' || (mode === 'public' && guardrailBlocked)}>
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
