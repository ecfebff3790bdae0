// A count as the renderer writes it: "1 row", "12,000 rows". Pure.

export function counted(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
