import { useEffect, useRef, useState } from 'react';
import type { Message } from '@parley/common';
import type { ApprovalDecision } from '../api/approvals.queries';
import { strings } from '../i18n/strings';
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

/** What a supervisor can do with a reply waiting for approval (absent for agents). */
export interface ApprovalActions {
  decide: (decision: ApprovalDecision) => void;
  deciding: boolean;
}

/** Approve, or reject with a comment for the agent: a supervisor's buttons on a waiting reply. */
function ApprovalButtons({ message, actions }: { message: Message; actions: ApprovalActions }) {
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');
  const commentId = `reject-comment-${message.id}`;
  if (!rejecting) {
    return (
      <span className="approval-actions">
        <button type="button" className="button primary-inline small" disabled={actions.deciding} onClick={() => actions.decide({ messageId: message.id, decision: 'approve' })}>
          {strings.message.approve}
        </button>
        <button type="button" className="button secondary small" disabled={actions.deciding} onClick={() => setRejecting(true)}>
          {strings.message.reject}
        </button>
      </span>
    );
  }
  return (
    <form
      className="reject-form"
      onSubmit={(event) => {
        event.preventDefault();
        const why = comment.trim();
        if (why) actions.decide({ messageId: message.id, decision: 'reject', comment: why });
      }}
    >
      <label htmlFor={commentId}>{strings.message.rejectComment}</label>
      <textarea id={commentId} rows={2} maxLength={1_000} value={comment} onChange={(event) => setComment(event.target.value)} dir="auto" autoFocus />
      <span className="approval-actions">
        <button type="submit" className="button danger small" disabled={actions.deciding || comment.trim() === ''}>
          {strings.message.rejectSend}
        </button>
        <button type="button" className="button secondary small" onClick={() => setRejecting(false)}>
          {strings.message.rejectCancel}
        </button>
      </span>
    </form>
  );
}

function DeliveryFooter({ message, onRetry, retrying, approvals }: { message: Message; onRetry: (id: string) => void; retrying: boolean; approvals: ApprovalActions | undefined }) {
  const state = message.deliveryState;
  const approval = message.approval;
  return (
    <footer className={`delivery delivery-${state}`} data-delivery={state}>
      {state === 'failed' ? (
        <>
          <span role="alert">{strings.message.failedBecause(message.failureReason ?? '')}</span>
          <button type="button" className="button secondary small" disabled={retrying} onClick={() => onRetry(message.id)}>
            {strings.message.retry}
          </button>
        </>
      ) : state === 'rejected' ? (
        <span className="approval-rejected">
          {strings.message.rejectedBecause(approval?.comment ?? '')}
          {approval?.decidedByName && <span className="muted"> {strings.message.rejectedBy(approval.decidedByName)}</span>}
        </span>
      ) : state === 'pending_approval' ? (
        <>
          <span className="approval-pending">{strings.message.waitingForApproval}</span>
          {approvals && <ApprovalButtons message={message} actions={approvals} />}
        </>
      ) : (
        <>
          <span>{strings.message.delivery[state]}</span>
          {approval?.state === 'approved' && approval.decidedByName && <span className="muted">· {strings.message.approvedBy(approval.decidedByName)}</span>}
        </>
      )}
    </footer>
  );
}

function MessageItem({ message, parent, meId, customerName, onRetry, retrying, approvals }: { message: Message; parent: Message | undefined; meId: string; customerName: string; onRetry: (id: string) => void; retrying: boolean; approvals: ApprovalActions | undefined }) {
  const author = message.direction === 'inbound' ? customerName : message.authorUserId === meId ? strings.message.me : (message.authorName ?? strings.message.you);
  const state = message.deliveryState;
  return (
    <li className={`message message-${message.direction} message-${message.visibility}`} data-message-id={message.id}>
      <article aria-label={`${strings.message.visibility[message.visibility]} · ${author}`}>
        <header className="message-header">
          <span className="message-author" dir="auto">
            {author}
          </span>
          <span className={`visibility-tag visibility-${message.visibility}`}>{strings.message.visibility[message.visibility]}</span>
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
export function Thread({ messages, meId, customerName, onRetry, retrying, approvals }: { messages: Message[]; meId: string; customerName: string; onRetry: (id: string) => void; retrying: boolean; approvals?: ApprovalActions }) {
  const byExternalId = new Map(messages.filter((message) => message.externalId).map((message) => [message.externalId, message]));
  const endRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  return (
    <div className="thread-scroll">
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
            approvals={approvals}
          />
        ))}
      </ol>
      <div ref={endRef} />
    </div>
  );
}
