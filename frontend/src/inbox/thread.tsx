import { useEffect, useRef } from 'react';
import { DEFAULT_BOT_NAME, type ConnectorKind, type Message } from '@parley/common';
import { BotAvatar } from '../bot/bot-avatar';
import { botStrings } from '../bot/bot.strings';
import { ChannelIcon } from '../components/channel-icon';
import { strings } from '../i18n/strings';
import { DeliveryFooter, type ApprovalActions } from './delivery-footer';
import { absoluteTime } from './format';

/** Attachments are served by our own api (its media proxy): anything else is not loaded or linked. */
const proxiedUrl = (url: string | undefined) => (url?.startsWith('/api/') ? url : undefined);

function AttachmentItem({ attachment }: { attachment: Message['attachments'][number] }) {
  const url = proxiedUrl(attachment.url);
  const label = strings.message.attachment(strings.message.attachmentKind[attachment.type], attachment.name);
  if (!url) return <li>{label}</li>;
  if (attachment.type === 'image' || attachment.type === 'sticker') {
    return (
      <li className="attachment-image">
        <a href={url} target="_blank" rel="noopener noreferrer" aria-label={strings.message.openFullSize(label)}>
          <img className="attachment-thumb" src={url} alt={label} loading="lazy" decoding="async" />
        </a>
      </li>
    );
  }
  return (
    <li>
      <a href={url} target="_blank" rel="noopener noreferrer">
        {label}
      </a>
    </li>
  );
}

/** The channel every message of a ticket was written on (a simulator channel shows the platform it imitates). */
interface ThreadChannel {
  kind: ConnectorKind;
  imitates: 'x' | 'facebook' | 'instagram' | undefined;
}

const channelName = ({ kind, imitates }: ThreadChannel) => strings.channelKinds[imitates ?? kind];

/** The name a message is shown under: the customer's, "You", the agent's, the bot's, or Parley's own. */
function authorName(message: Message, meId: string, customerName: string): string {
  switch (message.author.type) {
    case 'customer':
      return customerName;
    case 'bot':
      return message.author.name ?? DEFAULT_BOT_NAME;
    case 'system':
      return message.author.name ?? strings.appName;
    case 'agent':
      return message.authorUserId === meId ? strings.message.me : (message.author.name ?? message.authorName ?? strings.message.you);
  }
}

/** The buttons the bot offered with its message, as the customer saw them; they are not for the agent to press. */
function QuickReplyChips({ replies }: { replies: Message['quickReplies'] }) {
  if (replies.length === 0) return null;
  return (
    <ul className="quick-reply-chips" aria-label={botStrings.offered}>
      {replies.map((reply) => (
        <li key={reply.payload} className="quick-reply-chip" dir="auto">
          {reply.title}
        </li>
      ))}
    </ul>
  );
}

function MessageItem({
  message,
  parent,
  meId,
  customerName,
  onRetry,
  retrying,
  channel,
  step,
  approvals,
}: {
  message: Message;
  parent: Message | undefined;
  meId: string;
  customerName: string;
  onRetry: (id: string) => void;
  retrying: boolean;
  channel: ThreadChannel;
  /** What this message is in a move to private, if it is a step of one. */
  step: string | undefined;
  approvals: ApprovalActions | undefined;
}) {
  const author = authorName(message, meId, customerName);
  const byBot = message.author.type === 'bot';
  const state = message.deliveryState;
  return (
    <li className={`message message-${message.direction} message-${message.visibility} message-by-${message.author.type}`} data-message-id={message.id}>
      <article aria-label={`${strings.message.onChannel(strings.message.visibility[message.visibility], channelName(channel))} · ${byBot ? botStrings.botAuthor(author) : author}`}>
        <header className="message-header">
          {byBot && <BotAvatar size={20} />}
          <span className="message-author" dir="auto">
            {author}
          </span>
          {byBot && <span className="badge bot-badge">{botStrings.badge}</span>}
          <span className={`visibility-tag visibility-${message.visibility}`}>{strings.message.visibility[message.visibility]}</span>
          <ChannelIcon kind={channel.kind} {...(channel.imitates ? { imitates: channel.imitates } : {})} />
          {step && <span className="move-step">{step}</span>}
          <time dateTime={message.sentAt}>{absoluteTime(message.sentAt)}</time>
          {message.edited && <span className="muted">({strings.message.edited})</span>}
        </header>
        {parent && (
          <blockquote className="message-parent">
            <span className="visually-hidden">{strings.message.inReplyTo}: </span>
            <span dir="auto">{parent.text}</span>
          </blockquote>
        )}
        {message.deleted ? (
          <p className="message-text muted">{strings.message.deleted}</p>
        ) : (
          <p className="message-text" dir="auto">
            {message.text}
          </p>
        )}
        <QuickReplyChips replies={message.quickReplies} />
        {message.attachments.length > 0 && (
          <ul className="attachments" aria-label={strings.message.attachments}>
            {message.attachments.map((attachment, index) => (
              <AttachmentItem key={index} attachment={attachment} />
            ))}
          </ul>
        )}
        {message.direction === 'outbound' && state !== 'internal' && <DeliveryFooter message={message} onRetry={onRetry} retrying={retrying} approvals={approvals} />}
      </article>
    </li>
  );
}

/** The whole conversation, oldest first, across channels; scrolls to the newest message. */
export function Thread({
  messages,
  meId,
  customerName,
  onRetry,
  retrying,
  channel,
  steps,
  approvals,
}: {
  messages: Message[];
  meId: string;
  customerName: string;
  onRetry: (id: string) => void;
  retrying: boolean;
  channel: ThreadChannel;
  steps: Map<string, string>;
  approvals?: ApprovalActions;
}) {
  const byExternalId = new Map(messages.filter((message) => message.externalId).map((message) => [message.externalId, message]));
  const endRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Whether the agent reads the newest messages: then the thread stays at its end when the pane shrinks (a card opening above it).
  const atEnd = useRef(true);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
    atEnd.current = true;
  }, [messages.length]);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atEnd.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const onScroll = () => {
    const element = scrollRef.current;
    if (element) atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };
  return (
    <div className="thread-scroll" ref={scrollRef} onScroll={onScroll}>
      <ol className="thread" aria-label={strings.ticket.conversation}>
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            parent={message.externalParentId ? byExternalId.get(message.externalParentId) : undefined}
            meId={meId}
            customerName={customerName}
            onRetry={onRetry}
            retrying={retrying}
            channel={channel}
            step={steps.get(message.id)}
            approvals={approvals}
          />
        ))}
      </ol>
      <div ref={endRef} />
    </div>
  );
}
