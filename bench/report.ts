// What every benchmark reports with its figures: a Markdown table of them (as the README quotes
// them), and the machine they were measured on (for the JSON it writes).
import os from 'node:os';

/** The rows under the header, each column padded to its widest cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

/** This machine, and how busy it was (wall-clock figures show a busy machine). */
export function machine() {
  return {
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
