import { useEffect, useId, useRef, useState } from 'react';
import type { BotLearnt, BotTryResponse, QuickReply } from '@parley/common';
import { useTryBot } from '../api/bot.queries';
import { ApiError } from '../api/client';
import { BotAvatar } from './bot-avatar';
import { botStrings } from './bot.strings';
import { LearntDetails } from './handoff-card';

const t = botStrings.tryIt;

interface Turn {
  key: number;
  from: 'customer' | 'bot';
  text: string;
  quickReplies: QuickReply[];
}

const nothingLearnt: BotLearnt = { intent: null, reference: null, email: null, language: null };

/**
 * A supervisor talks to the bot as a customer would, without any platform: the transcript, the
 * bot's buttons to tap, what it learnt so far and its hand-off when it happens. The try session
 * the first answer names carries the next turns; "Start over" forgets it.
 */
export function TryBotPanel() {
  const id = useId();
  const tryBot = useTryBot();
  const [conversationId, setConversationId] = useState<string>();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [handoff, setHandoff] = useState<BotTryResponse['handoff']>(null);
  const [learnt, setLearnt] = useState<BotLearnt>(nothingLearnt);
  const [error, setError] = useState<string>();
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('private');
  const [afterHours, setAfterHours] = useState(true);
  const [followers, setFollowers] = useState('');
  // Answers to a conversation that was started over are dropped.
  const generation = useRef(0);
  const nextKey = useRef(0);
  const endRef = useRef<HTMLLIElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [turns.length]);

  const turn = (from: Turn['from'], said: string, quickReplies: QuickReply[] = []): Turn => ({ key: (nextKey.current += 1), from, text: said, quickReplies });

  const send = (said: string, value?: string) => {
    const asked = generation.current;
    setError(undefined);
    const asking = turn('customer', said);
    setTurns((old) => [...old, asking]);
    const reach = followers.trim() === '' ? undefined : Number(followers);
    tryBot.mutate(
      {
        ...(conversationId ? { conversationId } : {}),
        text: said,
        ...(value !== undefined ? { value } : {}),
        visibility,
        afterHours,
        ...(reach !== undefined && Number.isInteger(reach) && reach >= 0 ? { followers: reach } : {}),
      },
      {
        onSuccess: (answer) => {
          if (asked !== generation.current) return;
          setConversationId(answer.conversationId);
          const replies = answer.replies.map((reply) => turn('bot', reply.text, reply.quickReplies));
          setTurns((old) => [...old, ...replies]);
          setHandoff(answer.handoff);
          setLearnt(answer.learnt);
        },
        onError: (failure) => {
          if (asked === generation.current) setError(t.failed(failure instanceof ApiError ? failure.message : String(failure)));
        },
      },
    );
  };

  const startOver = () => {
    generation.current += 1;
    setConversationId(undefined);
    setTurns([]);
    setHandoff(null);
    setLearnt(nothingLearnt);
    setError(undefined);
    setText('');
    inputRef.current?.focus();
  };

  const last = turns[turns.length - 1];
  const offered = !handoff && !tryBot.isPending && last?.from === 'bot' ? last.quickReplies : [];

  return (
    <section className="bot-section" aria-labelledby={`${id}-title`}>
      <div className="bot-section-head">
        <h2 id={`${id}-title`}>{t.title}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {t.intro}
        </p>
      </div>
      <div className="try-bot">
        <div>
          <div role="log" aria-label={t.transcript} aria-live="polite">
            <ol className="try-transcript">
              {turns.length === 0 && <li className="try-empty">{t.empty}</li>}
              {turns.map((entry) => (
                <li key={entry.key} className={`try-turn try-turn-${entry.from}`}>
                  <span className="try-turn-who">
                    {entry.from === 'bot' && <BotAvatar size={16} />}
                    {entry.from === 'bot' ? botStrings.badge : t.customer}
                  </span>
                  <p className="try-turn-text" dir="auto">
                    {entry.text}
                  </p>
                  {entry.from === 'bot' && !(entry === last && offered.length > 0) && entry.quickReplies.length > 0 && (
                    <ul className="quick-reply-chips" aria-label={botStrings.offered}>
                      {entry.quickReplies.map((reply) => (
                        <li key={reply.payload} className="quick-reply-chip" dir="auto">
                          {reply.title}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
              {tryBot.isPending && (
                <li className="try-turn try-turn-pending muted" aria-busy="true">
                  {t.sending}
                </li>
              )}
              <li ref={endRef} aria-hidden="true" />
            </ol>
          </div>
          {offered.length > 0 && (
            <div className="try-quick-replies" role="group" aria-label={t.quickReplies}>
              {offered.map((reply) => (
                <button key={reply.payload} type="button" className="button secondary small" onClick={() => send(reply.title, reply.payload)}>
                  {reply.title}
                </button>
              ))}
            </div>
          )}
          {handoff && (
            <div className="try-handoff" role="status">
              <p>
                <strong>{t.handedOff}</strong> · {botStrings.reasonOf(handoff.reason)}
              </p>
              {handoff.summary && (
                <p dir="auto">
                  <span className="visually-hidden">{botStrings.ticket.summary}: </span>
                  {handoff.summary}
                </p>
              )}
              <p className="muted">{t.silent}</p>
            </div>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <form
            className="try-form"
            onSubmit={(event) => {
              event.preventDefault();
              const said = text.trim();
              if (!said || tryBot.isPending) return;
              setText('');
              send(said);
            }}
          >
            <label htmlFor={`${id}-text`} className="visually-hidden">
              {t.message}
            </label>
            <input id={`${id}-text`} ref={inputRef} value={text} dir="auto" maxLength={10_000} placeholder={t.message} onChange={(event) => setText(event.target.value)} />
            <button type="submit" className="button primary-inline" disabled={tryBot.isPending || text.trim() === ''}>
              {t.send}
            </button>
            <button type="button" className="button secondary" onClick={startOver}>
              {t.startOver}
            </button>
          </form>
        </div>
        <div className="try-options">
          <fieldset>
            <legend>{t.where}</legend>
            {(['private', 'public'] as const).map((option) => (
              <label key={option} className={`mode-option${visibility === option ? ' checked' : ''}`}>
                <input type="radio" name={`${id}-visibility`} value={option} checked={visibility === option} onChange={() => setVisibility(option)} />
                {t.visibility[option]}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input type="checkbox" checked={afterHours} onChange={(event) => setAfterHours(event.target.checked)} />
            {t.afterHours}
          </label>
          <div className="field">
            <label htmlFor={`${id}-followers`}>{t.followers}</label>
            <input id={`${id}-followers`} type="number" min={0} step={1} inputMode="numeric" value={followers} onChange={(event) => setFollowers(event.target.value)} />
          </div>
          <h3>{botStrings.learnt.title}</h3>
          <LearntDetails learnt={learnt} />
        </div>
      </div>
    </section>
  );
}
