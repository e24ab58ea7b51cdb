import type { Alert } from '@parley/common';
import type { AlertDoc } from './alert.model';

export function presentAlert(alert: AlertDoc): Alert {
  return {
    id: alert._id.toHexString(),
    kind: alert.kind,
    scope: { type: alert.scope.type, value: alert.scope.value },
    relatedScopes: (alert.relatedScopes ?? []).map(({ type, value }) => ({ type, value })),
    state: alert.state,
    startedAt: alert.startedAt.toISOString(),
    endedAt: alert.endedAt?.toISOString() ?? null,
    startCount: alert.startCount,
    peakCount: alert.peakCount,
    baseline: { mean: Math.round((alert.baseline?.mean ?? 0) * 100) / 100, deviation: Math.round((alert.baseline?.deviation ?? 0) * 100) / 100 },
    threshold: Math.round(alert.threshold * 100) / 100,
    mentions: alert.mentions,
    totalReach: alert.totalReach,
    topHashtags: alert.topHashtags.map(({ tag, count }) => ({ tag, count })),
    posts: alert.posts.map((post) => ({
      messageId: post.messageId.toHexString(),
      ticketId: post.ticketId.toHexString(),
      contactId: post.contactId.toHexString(),
      channelKind: post.channelKind,
      author: post.author,
      followers: post.followers,
      tier: post.tier,
      text: post.text,
      sentAt: post.sentAt.toISOString(),
    })),
    updatedAt: (alert.updatedAt ?? alert.startedAt).toISOString(),
  };
}
