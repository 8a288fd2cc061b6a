// Referrals between facilities: the three reason codes and the validity of a referral paper.
// The one-year validity is unconfirmed (VIETNAM.md), so the period is a parameter with a default.
// Pure: no I/O; dates are ISO strings (YYYY-MM-DD).
import type { Finding } from './findings.ts';

export type ReferralReasonCode = '1' | '2' | '3';

export interface ReferralReason {
  code: ReferralReasonCode;
  labelVi: string;
  labelEn: string;
}

export const REFERRAL_REASONS: readonly ReferralReason[] = [
  { code: '1', labelVi: 'Đủ điều kiện chuyên môn', labelEn: 'Meets the professional criteria' },
  { code: '2', labelVi: 'Vượt quá khả năng của cơ sở', labelEn: "Beyond the facility's capacity" },
  { code: '3', labelVi: 'Theo yêu cầu của người bệnh', labelEn: "At the patient's request" },
];

/** UNCONFIRMED default: a referral paper is valid one year from signing. */
export const DEFAULT_REFERRAL_VALIDITY_MONTHS = 12;

/** The last day a referral signed on `signedOn` is valid (inclusive). */
export function referralValidUntil(
  signedOn: string,
  months: number = DEFAULT_REFERRAL_VALIDITY_MONTHS,
): string {
  const [year, month, day] = signedOn.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay) - 1);
  return end.toISOString().slice(0, 10);
}

/** Why a referral is not valid on `date`; empty when it is. */
export function checkReferralValidity(
  signedOn: string,
  date: string,
  months: number = DEFAULT_REFERRAL_VALIDITY_MONTHS,
): Finding[] {
  if (date < signedOn) {
    return [
      { code: 'referral-not-yet-signed', message: `The referral is signed on ${signedOn}, after ${date}` },
    ];
  }
  const until = referralValidUntil(signedOn, months);
  return date > until
    ? [{ code: 'referral-expired', message: `The referral signed on ${signedOn} was valid until ${until}` }]
    : [];
}
