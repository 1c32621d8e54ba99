// Per-call knowledge about who is calling: the candidate customer proposed by caller ID
// (never disclosed), whether identity is verified, and the verification attempts.
import type { Customer } from '../../../contracts/crm';
import type { CallerView } from '../brain/brain';

export class CallerState {
  readonly phone: string;
  candidate: Customer | undefined;
  verified = false;
  verificationFailures = 0;

  constructor(phone: string) {
    this.phone = phone;
  }

  /**
   * The brain's view: account data only once verified, and never the verification secrets
   * (zip code, date of birth) — they are checked by the verify_identity tool, so no model
   * prompt ever needs them, and a model cannot repeat what it was never given.
   */
  view(): CallerView {
    return {
      phone: this.phone,
      verified: this.verified,
      hasCandidate: this.candidate !== undefined,
      verificationFailures: this.verificationFailures,
      ...(this.verified && this.candidate ? { customer: withoutSecrets(this.candidate) } : {}),
    };
  }
}

/** The account without the answers to the identity check. */
export function withoutSecrets(customer: Customer): Customer {
  const { zip: _zip, dob: _dob, ...account } = customer;
  return account;
}
