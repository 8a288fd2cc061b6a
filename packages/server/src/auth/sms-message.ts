// What an SMS carrying a one-time code says and where it goes: the account's phone as a Vietnamese
// mobile number in E.164 (+84…), and the Vietnamese text. Pure: no I/O; the sending is
// sms-channel.ts.
import { parsePhone } from '@hoso/vn/phone';

/**
 * The E.164 form of a Vietnamese mobile number as typed (0912345678, 84912345678,
 * +84 91 234 5678 → +84912345678), or undefined for anything else — landlines included, since they
 * cannot receive an SMS.
 */
export function smsNumber(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const parsed = parsePhone(phone);
  return parsed.ok && parsed.value.kind === 'mobile' ? parsed.value.e164 : undefined;
}

export const smsText = (code: string): string => `Mã đăng nhập Hồ Sơ: ${code} (hết hạn sau 5 phút)`;
