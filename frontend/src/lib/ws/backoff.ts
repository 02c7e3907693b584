export interface BackoffOptions {
  /** Delay before the first retry. */
  baseMs: number;
  /** The delay never grows past this. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** Fraction of the delay that is randomised (0..1), so that clients do not retry in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.3 };

/**
 * Delay before retry number `attempt` (0 = the first retry): base * factor^attempt, capped at
 * maxMs, then reduced by up to `jitter` of itself ("equal jitter": never below (1 - jitter) x).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = options.baseMs * Math.pow(options.factor, Math.max(0, attempt));
  const capped = Math.min(options.maxMs, exp);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(capped * (1 - jitter * random()));
}
