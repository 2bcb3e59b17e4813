// A certification REVOKE decision, signed off, removes the access from the access model on the clock, through the same
// provisioning service access requests use (src/isc/certifications/remediation.ts). Driven with sailpoint-api-client (CertificationsApi) by the reviewer's PAT.
import { beforeEach, describe, expect, it } from 'vitest';
import { CertificationsApi } from 'sailpoint-api-client';
import type { Emulator } from '../src/emulator.js';
import { identityAccess } from '../src/isc/access/service.js';
import { advance, testEmulator } from './helpers.js';
import { ALICE, iscCredentials } from './isc-cert-helpers.js';
import { sdkConfig, useInProcessAxios } from './isc-sdk.js';

let emu: Emulator;
let alice: CertificationsApi;

beforeEach(async () => {
  emu = testEmulator();
  useInProcessAxios(emu);
  const pat = (await iscCredentials(emu)).personalAccessTokens.find((p) => p.ownerId === ALICE)!;
  alice = new CertificationsApi(sdkConfig(pat.clientId, pat.clientSecret));
});

describe('certification remediation', () => {
  it('a REVOKE decision, once signed off, removes the access after the clock advances', async () => {
    const [cert] = (await alice.listIdentityCertifications({ reviewerIdentity: 'me', filters: 'phase eq "ACTIVE"' })).data;
    expect(cert).toBeDefined();
    const items = (await alice.listIdentityAccessReviewItems({ id: cert!.id! })).data;
    // an access profile the identity holds by assignment (request or admin), not through a role
    const target = items.find((i) => {
      if (i.accessSummary?.access?.type !== 'ACCESS_PROFILE') return false;
      const held = identityAccess(emu.isc, i.identitySummary!.identityId!).accessProfiles.find((a) => a.accessProfile.id === i.accessSummary!.access!.id);
      return !!held?.assignment;
    })!;
    expect(target, 'the seeded certification reviews a directly assigned access profile').toBeDefined();
    const subject = target.identitySummary!.identityId!;
    const apId = target.accessSummary!.access!.id!;
    const before = identityAccess(emu.isc, subject);
    const apEntitlements = before.accessProfiles.find((a) => a.accessProfile.id === apId)!.accessProfile.entitlementIds;

    await alice.makeIdentityDecision({ id: cert!.id!, reviewDecision: items.map((i) => ({ id: i.id!, decision: i.id === target.id ? 'REVOKE' : 'APPROVE', bulk: false, comments: i.id === target.id ? 'no longer needed' : undefined })) });
    const signed = await alice.signOffIdentityCertification({ id: cert!.id! });
    expect(signed.data.phase).toBe('SIGNED');
    // sign-off starts the remediation; the access is still there until the clock moves
    expect(identityAccess(emu.isc, subject).accessProfiles.some((a) => a.accessProfile.id === apId)).toBe(true);

    await advance(emu, 60_000);
    const after = identityAccess(emu.isc, subject);
    expect(after.accessProfiles.some((a) => a.accessProfile.id === apId)).toBe(false);
    // its entitlements left the account unless another assignment still needs them
    const stillNeeded = new Set(after.accessProfiles.flatMap((a) => a.accessProfile.entitlementIds).concat(after.roles.flatMap((r) => r.role.entitlementIds)));
    for (const e of apEntitlements) if (!stillNeeded.has(e)) expect(after.entitlements.some((x) => x.entitlement.id === e)).toBe(false);
    const remediated = (await alice.listIdentityAccessReviewItems({ id: cert!.id! })).data.find((i) => i.id === target.id) as { remediation?: { status: string } } | undefined;
    expect(remediated?.remediation?.status).toBe('COMPLETED');
  });
});
