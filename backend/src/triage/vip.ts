// PLACEHOLDER until helper B's matcher lands (not for main).
import type { ConnectorKind } from '@parley/common';
export interface VipListing { vip: boolean; press: boolean; lists: Array<{ id: string; name: string; kind: 'vip' | 'press' }> }
export function vipListingOf(_identities: ReadonlyArray<{ kind: ConnectorKind; externalId: string; handle?: string | undefined }>): Promise<VipListing> {
  return Promise.resolve({ vip: false, press: false, lists: [] });
}
export function forgetVipLists(): void {}
