/**
 * The median of some numbers (the mean of the middle two for an even count); undefined for
 * none. Sorts `values` in place: callers hand it an array of their own, often a large one.
 */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}
