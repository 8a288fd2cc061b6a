// The production one-time code channel: one JSON POST per code to an SMS gateway over HTTPS,
// `{to, from, text}` with a bearer token, given up after a timeout. A failure is an
// OtpDeliveryError the sign-in page can explain. It must never log or put in an error message the
// phone number, the code, the gateway's answer or the token.
import type { OtpChannel } from './otp.ts';
import { OtpDeliveryError } from './otp.ts';
import { smsNumber, smsText } from './sms-message.ts';

export interface SmsGateway {
  /** The gateway's send endpoint (https, or http on 127.0.0.1/localhost). */
  url: string;
  /** Sent as `Authorization: Bearer {token}`. */
  token: string;
  /** The sender name the gateway shows (a registered brand name). */
  sender: string;
  /** Milliseconds to wait for the gateway; default 10 000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function httpSmsChannel(gateway: SmsGateway): OtpChannel {
  const send = gateway.fetch ?? fetch;
  const timeoutMs = gateway.timeoutMs ?? 10_000;
  return {
    async send(account, code) {
      const to = smsNumber(account.phone);
      if (!to) throw new OtpDeliveryError('no-phone', `account ${account.id} has no mobile phone number`);
      let res: Response;
      try {
        res = await send(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.token}` },
          body: JSON.stringify({ to, from: gateway.sender, text: smsText(code) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const why =
          (err as Error).name === 'TimeoutError'
            ? `did not answer within ${timeoutMs} ms`
            : `could not be reached (${(err as Error).name})`;
        throw new OtpDeliveryError('unavailable', `the SMS gateway ${why}`);
      }
      await res.body?.cancel();
      if (!res.ok) throw new OtpDeliveryError('unavailable', `the SMS gateway answered ${res.status}`);
    },
  };
}
