import { useState } from 'react';
import type { Message } from '@parley/common';
import type { ApprovalDecision } from '../api/approvals.queries';
import { strings } from '../i18n/strings';

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

/** Where one of our messages stands: sent, failed (with a retry), waiting for approval (with a supervisor's buttons), rejected (with why). */
export function DeliveryFooter({ message, onRetry, retrying, approvals }: { message: Message; onRetry: (id: string) => void; retrying: boolean; approvals: ApprovalActions | undefined }) {
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
