// How one-time sign-in codes reach a person. An SMS gateway is a boundary this server does not own,
// so delivery is an interface: development prints the code to the server log (with the account id
// only, no personal data); production must be given a real channel, and without one refuses.
import type { Account } from './accounts.ts';

export interface OtpChannel {
  send(account: Account, code: string): Promise<void>;
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
    throw new Error('no one-time code channel is configured; sign-in with a one-time code is unavailable');
  },
};
