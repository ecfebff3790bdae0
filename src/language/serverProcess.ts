// How the language server's process is started, shared by the language client and the
// benchmarks so that they measure the server as it runs.

/**
 * The server's V8 heap is capped: the analysis of a 30,000-cell notebook keeps ~300-500 MB
 * live, and without a cap V8 let the heap grow to 1.5-2.5 GB of mostly garbage before
 * collecting it (bench/languageServerBurst.ts). With 1 GB the same notebook peaks near 1.1 GB
 * RSS, its analysis times within the noise of the uncapped ones. A notebook too big for it
 * crashes the server, which the client restarts (and stops after 4 crashes in 3 minutes): the
 * editor keeps working.
 */
export const SERVER_EXEC_ARGV = ['--max-old-space-size=1024'];
