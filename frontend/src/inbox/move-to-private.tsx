import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { cannedTextFor, checkPublicReply, inviteLanguageOf, type CannedResponse, type Message, type MoveToPrivate, type ReplyPlatform } from '@parley/common';
import { fillPlaceholders } from '../api/canned.queries';
import { ApiError } from '../api/client';
import { useGuardrailContext } from '../api/guardrails.queries';
import { moveRefusalOf, useMoveToPrivate } from '../api/move-to-private.queries';
import { strings } from '../i18n/strings';
import { loadMoveDraft, saveMoveDraft, type MoveDraft } from './draft';
import { FindingsList, mergeFindings, stillPresent } from './guardrail-findings';
import { measure } from './length-limit';

/**
 * "Reply & move to private": the short public reply and the first private message side by
 * side, sent with one action (POST /api/tickets/:id/move-to-private), and the move's state in
 * the conversation header.
 */

/** The customer message a move answers: their latest public one. */
export const moveTargetOf = (messages: Message[] | undefined): Message | undefined =>
  [...(messages ?? [])].reverse().find((message) => message.direction === 'inbound' && message.visibility === 'public');

/**
 * What the two texts start with, in the ticket's language (the customer's latest message's,
 * as the server decides the invitation's): the team's canned replies `dm-<lang>` and
 * `dm-greeting-<lang>` (`dm` and `dm-greeting` for English), else Parley's own.
 */
export function initialMoveTexts(messages: Message[] | undefined, canned: CannedResponse[] | undefined, names: { firstName: string; agentName: string }): MoveDraft {
  const latest = [...(messages ?? [])].reverse().find((message) => message.direction === 'inbound');
  const language = inviteLanguageOf(latest?.language);
  const pick = (base: string, fallback: string) => {
    const own = canned?.find((item) => item.shortcut === `${base}-${language}`);
    // The shared reply in the customer's language: its own text for English, a translation for the others.
    const shared = canned?.find((item) => item.shortcut === base);
    const translated = shared && (language === 'en' || shared.translations.some((translation) => translation.language === language)) ? cannedTextFor(shared, language) : undefined;
    return fillPlaceholders(own?.text ?? translated ?? fallback, names);
  };
  const defaults = strings.moveToPrivate.defaults[language];
  return { publicText: pick('dm', defaults.ack), privateText: pick('dm-greeting', defaults.greeting) };
}

function describe(error: unknown): string {
  return error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

interface MoveToPrivatePanelProps {
  ticketId: string;
  viewId: string;
  platform: ReplyPlatform;
  /** The platform as the labels name it ("X", "Facebook"…). */
  channelName: string;
  target: Message;
  initial: MoveDraft;
  /** Closed: cancelled, or both messages on their way. */
  onDone: () => void;
}

export function MoveToPrivatePanel({ ticketId, viewId, platform, channelName, target, initial, onDone }: MoveToPrivatePanelProps) {
  const [texts, setTexts] = useState<MoveDraft>(() => loadMoveDraft(ticketId) ?? initial);
  const move = useMoveToPrivate(ticketId);
  const publicRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => saveMoveDraft(ticketId, texts), [ticketId, texts]);
  useEffect(() => publicRef.current?.focus(), []);

  // The public acknowledgement takes the guardrails of every public reply, checked as it is typed.
  const guardrailContext = useGuardrailContext(ticketId);
  const checkedPublic = useDeferredValue(texts.publicText);
  const localFindings = useMemo(() => (guardrailContext.data ? checkPublicReply(checkedPublic, guardrailContext.data) : []), [checkedPublic, guardrailContext.data]);
  const serverFindings = move.error instanceof ApiError && move.error.findings ? move.error.findings : [];
  const findings = stillPresent(mergeFindings(localFindings, serverFindings), texts.publicText);
  const guardrailBlocked = findings.some((finding) => finding.severity === 'block');
  const confirmKeys = [...new Set(findings.flatMap((finding) => (finding.severity === 'warn' && finding.confirmKey ? [finding.confirmKey] : [])))];
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const unconfirmed = confirmKeys.filter((key) => !confirmed.includes(key));

  const counts = { publicText: measure(texts.publicText, platform, 'public'), privateText: measure(texts.privateText, platform, 'private') };
  const tooLong = counts.publicText.used > counts.publicText.limit || counts.privateText.used > counts.privateText.limit;
  const empty = texts.publicText.trim() === '' || texts.privateText.trim() === '';

  // Errors go next to the text they are about; a refusal about the private path may offer what to do instead.
  const error = move.isError ? move.error : undefined;
  const refusal = moveRefusalOf(error);
  const field = error instanceof ApiError ? (error.field === 'replyToMessageId' ? 'publicText' : error.field) : undefined;
  const fieldError = (name: 'publicText' | 'privateText') => (field === name ? describe(error) : undefined);
  const generalError = error && field !== 'publicText' && field !== 'privateText' ? describe(error) : undefined;

  const send = (fallback?: 'invite', confirm: string[] = confirmed) => {
    if (move.isPending || (!fallback && (tooLong || empty || guardrailBlocked))) return;
    if (!fallback && confirmKeys.some((key) => !confirm.includes(key))) return;
    move.mutate(
      { publicText: texts.publicText.trim(), privateText: texts.privateText.trim(), replyToMessageId: target.id, ...(fallback ? { fallback } : {}), ...(confirm.length > 0 ? { confirm } : {}) },
      {
        onSuccess: () => {
          saveMoveDraft(ticketId, undefined);
          onDone();
        },
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
  };

  const area = (name: 'publicText' | 'privateText', label: string) => {
    const id = `move-${name}-${ticketId}`;
    const count = counts[name];
    const over = count.used > count.limit;
    // A guardrail's findings are listed under the public text, with their spans.
    const problem = name === 'publicText' && findings.length > 0 ? undefined : fieldError(name);
    return (
      <div className={`move-field move-field-${name === 'publicText' ? 'public' : 'private'}`}>
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          ref={name === 'publicText' ? publicRef : undefined}
          dir="auto"
          rows={5}
          value={texts[name]}
          aria-invalid={over || problem !== undefined || undefined}
          aria-describedby={`${id}-counter${problem ? ` ${id}-error` : ''}`}
          onChange={(event) => setTexts((old) => ({ ...old, [name]: event.target.value }))}
          onKeyDown={onKeyDown}
        />
        <span id={`${id}-counter`} className={`counter${over ? ' over' : ''}`} aria-live="polite">
          {strings.composer.counter(count.used, count.limit)}
          {over && ` — ${strings.composer.tooLong}`}
        </span>
        {problem && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {problem}
          </p>
        )}
        {name === 'publicText' && (
          <FindingsList
            id={`${id}-findings`}
            findings={findings}
            onConfirm={
              unconfirmed.length > 0
                ? () => {
                    setConfirmed(confirmKeys);
                    send(undefined, confirmKeys);
                  }
                : undefined
            }
          />
        )}
        {name === 'privateText' && refusal?.ticketId && refusal.ticketNumber !== undefined && (
          <p className="move-other-ticket">
            <Link to={`/inbox/${viewId}/tickets/${refusal.ticketId}`}>{strings.moveToPrivate.openTicket(refusal.ticketNumber)}</Link>
          </p>
        )}
        {name === 'privateText' && refusal?.invitation && (
          <div className="move-invitation">
            <p>{strings.moveToPrivate.inviteInstead}</p>
            <blockquote dir="auto">{refusal.invitation}</blockquote>
            <button type="button" className="button secondary small" disabled={move.isPending} onClick={() => send('invite')}>
              {strings.moveToPrivate.sendInvitation}
            </button>
          </div>
        )}
      </div>
    );
  };

  return (
    <form
      className="composer move-panel"
      aria-labelledby={`move-title-${ticketId}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <h2 id={`move-title-${ticketId}`} className="move-title">
        {strings.moveToPrivate.title}
      </h2>
      <p className="muted hint">{strings.moveToPrivate.intro}</p>
      <blockquote className="message-parent move-answering">
        <span className="visually-hidden">{strings.moveToPrivate.answering}: </span>
        <span dir="auto">{target.text}</span>
      </blockquote>
      <div className="move-fields">
        {area('publicText', strings.moveToPrivate.publicLabel(channelName))}
        {area('privateText', strings.moveToPrivate.privateLabel(channelName))}
      </div>
      {generalError && (
        <p className="form-error" role="alert">
          {strings.moveToPrivate.failed(generalError)}
        </p>
      )}
      <div className="composer-actions">
        <button type="button" className="button secondary small" onClick={onDone}>
          {strings.moveToPrivate.cancel}
        </button>
        <span className="muted hint">{strings.composer.hint}</span>
        <button type="submit" className="button primary-inline" disabled={move.isPending || tooLong || empty || guardrailBlocked || unconfirmed.length > 0}>
          {move.isPending ? strings.moveToPrivate.sending : strings.moveToPrivate.send}
        </button>
      </div>
    </form>
  );
}

/** The move's state in the conversation header, as it changes. */
export function MoveState({ move, messages }: { move: MoveToPrivate | null; messages: Message[] | undefined }) {
  if (!move) return null;
  let label: string;
  if (move.state === 'failed') label = strings.moveToPrivate.state.failed(move.reason ?? '');
  else if (move.state === 'ack_sent') {
    const ack = messages?.find((message) => message.id === move.publicMessageId);
    label = ack && ack.deliveryState !== 'sent' && ack.deliveryState !== 'read' ? strings.moveToPrivate.state.sending : strings.moveToPrivate.state.ack_sent;
  } else label = strings.moveToPrivate.state[move.state];
  return (
    <div className={`move-state move-state-${move.state}`} role="status" aria-live="polite">
      <span dir="auto">{label}</span>
      {move.state === 'failed' && move.invitationMessageId && <span className="move-invited"> {strings.moveToPrivate.invited}</span>}
    </div>
  );
}

/** Which messages of the thread are steps of the move, and what each is. */
export function moveStepsOf(move: MoveToPrivate | null | undefined): Map<string, string> {
  const steps = new Map<string, string>();
  if (!move) return steps;
  const names = strings.moveToPrivate.stepNames;
  steps.set(move.publicMessageId, move.privateMessageId ? names.ack : names.invitation);
  if (move.privateMessageId) steps.set(move.privateMessageId, names.private);
  if (move.invitationMessageId) steps.set(move.invitationMessageId, names.invitation);
  return steps;
}
