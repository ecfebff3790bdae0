// Ctrl-C (SIGINT), SIGTERM and SIGHUP stop a command cleanly: its AbortSignal fires (the running
// statement is cancelled), the command closes its runtime (a temporary database is deleted) and
// the process exits with 128 + the signal's number, as a shell reports a process the signal
// killed. A second signal, or a stop that takes longer than STOP_CEILING_MS, exits at once; the
// exit handlers of src/fdw/db (dataDir.ts, lock.ts) still delete temporary databases and locks.
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const STOP_CEILING_MS = 10_000;

export interface SignalStop {
  signal: AbortSignal;
  /** 128 + the number of the signal that stopped the command, once one has. */
  readonly exitCode: number | undefined;
  /** Restores the default handling. */
  dispose(): void;
}

export function stopOnSignals(write: (text: string) => void): SignalStop {
  const abort = new AbortController();
  let exitCode: number | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    const code = 128 + constants.signals[name];
    if (exitCode !== undefined) process.exit(exitCode);
    exitCode = code;
    write(`\n${name}: stopping (again to stop at once)\n`);
    abort.abort();
    setTimeout(() => {
      write(`${name}: not stopped after ${STOP_CEILING_MS / 1000} s, exiting\n`);
      process.exit(code);
    }, STOP_CEILING_MS).unref();
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: abort.signal,
    get exitCode() {
      return exitCode;
    },
    dispose: () => {
      for (const name of SIGNALS) process.off(name, onSignal);
    },
  };
}
