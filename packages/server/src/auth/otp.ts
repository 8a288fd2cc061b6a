// How one-time sign-in codes reach a person. An SMS gateway is a boundary this server does not own,
// so delivery is an interface: development prints the code to the server log (with the account id
// only, no personal data); production uses the SMS gateway channel (sms-channel.ts) and, without
// one, refuses.
import type { Account } from './accounts.ts';

export interface OtpChannel {
  /** Delivers the code or throws OtpDeliveryError; the sign-in then ends and the code is void. */
  send(account: Account, code: string): Promise<void>;
}

/**
 * A code that could not be delivered: `no-phone` when the account has nowhere to receive it,
 * `unavailable` when the channel failed or there is none. The message names no phone and no code.
 */
export class OtpDeliveryError extends Error {
  constructor(
    readonly reason: 'no-phone' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export function logOtpChannel(log: (line: string) => void): OtpChannel {
  return {
    async send(account, code) {
      log(`one-time sign-in code for account ${account.id}: ${code}`);
    },
  };
}

export const noOtpChannel: OtpChannel = {
  async send() {
    throw new OtpDeliveryError(
      'unavailable',
      'no one-time code channel is configured; sign-in with a one-time code is unavailable',
    );
  },
};
