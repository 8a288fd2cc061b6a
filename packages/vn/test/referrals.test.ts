import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkReferralValidity, REFERRAL_REASONS, referralValidUntil } from '@hoso/vn/referrals';

const isoDate = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('referrals', () => {
  it('has the three reason codes', () => {
    assert.deepEqual(
      REFERRAL_REASONS.map((r) => r.code),
      ['1', '2', '3'],
    );
  });

  it('is valid for one year from signing by default', () => {
    assert.equal(referralValidUntil('2025-03-15'), '2026-03-14');
    assert.equal(referralValidUntil('2025-01-01'), '2025-12-31');
    assert.equal(referralValidUntil('2024-02-29'), '2025-02-27');
    assert.equal(referralValidUntil('2025-03-15', 6), '2025-09-14');
    assert.deepEqual(checkReferralValidity('2025-03-15', '2026-03-14'), []);
    assert.deepEqual(
      checkReferralValidity('2025-03-15', '2026-03-15').map((f) => f.code),
      ['referral-expired'],
    );
    assert.deepEqual(
      checkReferralValidity('2025-03-15', '2025-03-14').map((f) => f.code),
      ['referral-not-yet-signed'],
    );
  });

  it('ends within the period and is valid exactly inside it', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 36 }), isoDate, (signedOn, months, date) => {
        const until = referralValidUntil(signedOn, months);
        const days = (Date.parse(until) - Date.parse(signedOn)) / 86_400_000;
        const valid = checkReferralValidity(signedOn, date, months).length === 0;
        return days >= months * 28 - 2 && days < months * 31 && valid === (signedOn <= date && date <= until);
      }),
    );
  });
});
