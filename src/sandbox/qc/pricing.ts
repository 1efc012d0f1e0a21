/** A pool's reward for a Toloker: by `dynamic_pricing_config` when their skill falls in an interval, else `reward_per_assignment`. Pure. */
export interface PricedPool {
  readonly reward_per_assignment?: number | undefined;
  readonly dynamic_pricing_config?: { readonly skill_id: string; readonly intervals: readonly { readonly from?: number | undefined; readonly to?: number | undefined; readonly reward_per_assignment: number }[] } | undefined;
}

export function rewardFor(pool: PricedPool, skillOf: (skillId: string) => number | undefined): number {
  const pricing = pool.dynamic_pricing_config;
  const skill = pricing ? skillOf(String(pricing.skill_id)) : undefined;
  if (pricing && skill !== undefined) {
    const hit = pricing.intervals.find((i) => skill >= (i.from ?? 0) && skill <= (i.to ?? 100));
    if (hit) return hit.reward_per_assignment;
  }
  return pool.reward_per_assignment ?? 0;
}
