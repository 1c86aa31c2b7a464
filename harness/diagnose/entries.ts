// How many entries a Map/Set/Array holds, read from a heap snapshot node. Snapshots only
// record references to heap objects, so entries whose key and value are small integers
// (Smis) are invisible here: this is a floor, used when the census gave no exact size.
import type { IHeapNode } from './memlab.ts';

/** Slots per entry in V8's OrderedHashMap (key, value, chain) and OrderedHashSet (key, chain). */
const ENTRY_SLOTS: Record<string, number> = { Map: 3, Set: 2, WeakMap: 3, WeakSet: 2 };

export function entriesInSnapshot(node: IHeapNode): number | undefined {
  if (node.name === 'Array') {
    let n = 0;
    for (const e of node.references) if (e.type === 'element') n += 1;
    return n;
  }
  const stride = ENTRY_SLOTS[node.name];
  const table = node.getReferenceNode('table');
  if (stride === undefined || !table) return undefined;
  const entriesStart = hashTableEntriesStart(table.self_size, stride);
  const slots = new Set<number>();
  for (const e of table.references) {
    if (typeof e.name_or_index !== 'number' && !/^\d+$/.test(String(e.name_or_index))) continue;
    const index = Number(e.name_or_index);
    // Without the layout, count key-or-value references, two per entry at most.
    slots.add(entriesStart === undefined ? index : Math.floor((index - entriesStart) / stride));
  }
  // No visible entry: empty, or every entry is Smi-only; the snapshot cannot tell which.
  if (slots.size === 0) return undefined;
  return entriesStart === undefined ? Math.ceil(slots.size / 2) : slots.size;
}

/**
 * Where entries start in the table: [elements, deleted, buckets, bucket heads × B, entries × 2B].
 * B is found from the table's size, trying 8- and 4-byte slots (pointer compression).
 */
function hashTableEntriesStart(selfBytes: number, stride: number): number | undefined {
  for (const slot of [8, 4]) {
    const length = selfBytes / slot - 2; // FixedArray header: map + length
    const buckets = (length - 3) / (1 + 2 * stride);
    if (Number.isInteger(buckets) && buckets > 0) return 3 + buckets;
  }
  return undefined;
}
