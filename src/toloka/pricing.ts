/**
 * What a pool costs: the reward per task suite Tolokers get, and Toloka's fee on it. The fee is
 * 30% of the price, but not less than $0.005 per task suite (Toloka's docs, "Setting up
 * pricing"; older pages say $0.001); bonuses carry the 30% too. No vscode import.
 */
export const TolokaFee = {
  share: 0.3,
  /** USD, per task suite with a reward. */
  minimumPerSuite: 0.005,
} as const;

/** Toloka's fee on one task suite paid `reward`. A suite paid nothing (training, control only) costs nothing. */
export function feeFor(reward: number): number {
  if (!(reward > 0)) return 0;
  return Math.max(reward * TolokaFee.share, TolokaFee.minimumPerSuite);
}

/** Toloka's fee on a bonus. */
export function bonusFee(amount: number): number {
  return amount > 0 ? amount * TolokaFee.share : 0;
}

/** Money in dollars to the cent for people, keeping fractions of a cent when they are all there is. */
export function dollars(amount: number): string {
  if (amount !== 0 && Math.abs(amount) < 0.01) return `$${amount.toFixed(4).replace(/0+$/, '')}`;
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
