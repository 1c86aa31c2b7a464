// The diagnosis of a leak, in our own typed shapes. memlab's output (partly console text and
// CSV) is parsed into these; nothing here carries memlab objects or raw memlab text.

/** A collection the harness suspects (from the census), to locate in the heap snapshot. */
export interface Suspect {
  /** Heap snapshot node id, "@12345" (the census id; V8 keeps it across snapshots). */
  id: string;
  name?: string;
  /** "Map" | "Set" | "Array" (as the census reports it). */
  kind: string;
  /** Exact size from the census, when known; snapshots only show entries that hold heap objects. */
  size?: number;
}

/** One hop of a retainer path: the edge followed from the previous node, and the node reached. */
export interface RetainerStep {
  /** Absent on the first step (the GC root). */
  edge?: { name: string; type: string };
  node: {
    id: string;
    name: string;
    type: string;
    selfBytes: number;
    retainedBytes?: number;
    /** For a scope (V8 Context): 'module' when it is an ES module's top-level scope. */
    scope?: 'module' | 'function';
  };
}

export interface DiagnosedCollection {
  id: string;
  name?: string;
  kind: string;
  /** Whether the collection was located in the last snapshot, and how. */
  found: boolean;
  foundBy?: 'id' | 'name';
  entries?: number;
  /** census: exact size given by the caller; snapshot: entries that reference heap objects. */
  entriesSource?: 'census' | 'snapshot';
  retainedBytes?: number;
  /** Readable hops from the GC root to the collection, one string each. */
  retainerPath: string[];
  /** The holder and the collection: "(module scope) checkpointStates → Map (2 000 entries, 1.2 MB retained)". */
  retainerSummary?: string;
  steps: RetainerStep[];
}

/** A collection memlab's unbound-collection check saw growing across the snapshots. */
export interface GrowingCollection {
  id: string;
  /** memlab's node name: "Map", "Set", "WeakMap", "WeakSet". */
  kind: string;
  /** Holder variable or property, from the retainer path in the last snapshot. */
  name?: string;
  /** Outgoing edges of the collection's backing table per snapshot (memlab's size measure). */
  edgesHistory: number[];
  /** Never shrank between snapshots (memlab also lists collections that merely fluctuate). */
  monotonic: boolean;
  /** The id is one of the suspects the caller passed. */
  suspect: boolean;
  retainerSummary?: string;
}

export interface Diagnosis {
  snapshots: string[];
  collections: DiagnosedCollection[];
  /** Present when >= 2 snapshots were given; growing, monotonic collections first. */
  growingAcrossSnapshots?: GrowingCollection[];
  notes: string[];
  /** Wall time of each step, ms (for overhead figures only). */
  timing?: { loadMs: number; pathsMs: number; growthMs?: number };
}
