/** Exit codes shared by every subcommand (see the README's command-line section). */
export const Exit = {
  /** Done; for `plan`: nothing to change. */
  ok: 0,
  /** An error, or bad input (each problem printed as `file:line: field: message`; nothing sent). */
  error: 1,
  /** `plan`: there are changes to apply. */
  changes: 2,
  /** Interrupted, safe to run again: the journal or state resumes it. */
  interrupted: 3,
  /** Stopped by Ctrl+C after a clean stop. */
  sigint: 130,
} as const;
