// Parse what memlab's unbound-collection analysis prints into typed rows. It writes a CSV
// (`name,id,type,size1,size2,...`, unquoted, so a name may itself contain commas) and a
// console log with lines like `· Map [object](@86867):  1001 > 2001 > 3001`.

export interface UnboundRow {
  /** Heap snapshot node id, "@86867". */
  id: string;
  /** memlab's node name: "Map", "Set", ... */
  name: string;
  /** Heap node type: "object". */
  type: string;
  /** memlab's size measure in each snapshot, oldest first. */
  history: number[];
}

const INTEGER = /^\d+$/;

/** Rows of memlab's unbound-object CSV; lines that do not fit the shape are skipped. */
export function parseUnboundCsv(csv: string): UnboundRow[] {
  const rows: UnboundRow[] = [];
  for (const line of csv.split(/\r?\n/)) {
    const fields = line.trim().split(',');
    // Read from the right: trailing integers are the history, then type, then id.
    let i = fields.length - 1;
    while (i >= 0 && INTEGER.test(fields[i] ?? '')) i -= 1;
    // i is the type; the history is what follows it, the id is the integer before it.
    const typeAt = i;
    const idAt = i - 1;
    const history = fields.slice(typeAt + 1).map(Number);
    if (typeAt < 2 || history.length === 0 || !INTEGER.test(fields[idAt] ?? '')) continue;
    rows.push({
      id: `@${fields[idAt]}`,
      name: fields.slice(0, idAt).join(','),
      type: fields[typeAt] ?? '',
      history,
    });
  }
  return rows;
}

// "· Map [object](@86867):  1001 > 2001 > 3001" (colour codes already absent: the log is plain).
const LOG_LINE = /^\s*·\s+(.+?)\s+\[([^\]]+)\]\(@(\d+)\):\s+([\d\s>.,]+?)\s*$/;

/** Rows from the analysis console log; used when the CSV is missing. */
export function parseUnboundLog(log: string): UnboundRow[] {
  const rows: UnboundRow[] = [];
  // eslint-disable-next-line no-control-regex
  const plain = log.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
  for (const line of plain.split(/\r?\n/)) {
    const m = LOG_LINE.exec(line);
    if (!m) continue;
    const history = (m[4] ?? '').split('>').map((s) => Number(s.trim().replace(/,/g, '')));
    if (history.some((n) => !Number.isFinite(n))) continue;
    rows.push({ id: `@${m[3]}`, name: m[1] ?? '', type: m[2] ?? '', history });
  }
  return rows;
}

/** memlab says so when nothing grew (and then writes no CSV). */
export function unboundFoundNothing(log: string): boolean {
  return log.includes('No increasing collections found');
}
