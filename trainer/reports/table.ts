/** A pipe table; columns listed in `leftAligned` align left, the rest (numbers) right. */
export function table(header: string[], rows: string[][], leftAligned: readonly number[] = [0]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (leftAligned.includes(i) ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

// Pipes and line breaks would end a table cell early.
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}
