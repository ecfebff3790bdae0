// Limits that stop a runaway statement (an unbounded recursive CTE, a cross join of large tables)
// before it holds a notebook for good or fills the disk: a statement timeout and a cap on the
// temporary files one statement may write. The defaults are far above what real work over Clerk
// data takes (a sort of 1,000,000 users spills well under 1 GB; statements over 100,000 users run
// in seconds), and the error of a statement that meets one says how to raise it.

import { SETTINGS } from '../../ids.js';

export interface StatementLimits {
  /** Longest a statement may run, in seconds; 0 for no limit. */
  statementTimeoutSeconds: number;
  /** Most temporary-file space one statement may use, in MB; 0 for no limit. */
  tempFileLimitMb: number;
}

interface Limit {
  default: number;
  /** The CLI's flag, the unit of its value, and the VS Code setting (in the `clerkSql` section) that set it. */
  flag: string;
  unit: string;
  setting: (typeof SETTINGS)['statementTimeout' | 'tempFileLimit'];
  /** SQLSTATE of a statement that meets it. */
  code: string;
  what: string;
}

export const LIMITS: Record<keyof StatementLimits, Limit> = {
  statementTimeoutSeconds: {
    default: 300,
    flag: '--statement-timeout',
    unit: 'SECONDS',
    setting: SETTINGS.statementTimeout,
    code: '57014',
    what: 'the statement timeout',
  },
  tempFileLimitMb: { default: 5120, flag: '--temp-file-limit', unit: 'MB', setting: SETTINGS.tempFileLimit, code: '53400', what: 'the temporary-file limit' },
};

/** The limits given, the defaults for the others. */
export function withDefaults(given: Partial<StatementLimits> = {}): StatementLimits {
  return {
    statementTimeoutSeconds: given.statementTimeoutSeconds ?? LIMITS.statementTimeoutSeconds.default,
    tempFileLimitMb: given.tempFileLimitMb ?? LIMITS.tempFileLimitMb.default,
  };
}

/** The limits as VS Code's `clerkSql` settings hold them. */
export function limitsFromSettings(settings: { get<T>(section: string): T | undefined }): Partial<StatementLimits> {
  return {
    statementTimeoutSeconds: settings.get<number>(LIMITS.statementTimeoutSeconds.setting),
    tempFileLimitMb: settings.get<number>(LIMITS.tempFileLimitMb.setting),
  };
}

/** How to raise the limit a statement met, for its error; undefined for any other error. A user's cancel is not a timeout. */
export function raiseLimitHint(code: string | undefined, message: string): string | undefined {
  const limit = Object.values(LIMITS).find((l) => l.code === code);
  if (!limit || (code === '57014' && !/statement timeout/.test(message))) return undefined;
  return `Raise ${limit.what} with ${limit.flag} ${limit.unit} (CLI) or the ${SETTINGS.section}.${limit.setting} setting (VS Code); 0 turns it off.`;
}
