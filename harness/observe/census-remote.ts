// Functions the census runs INSIDE the target with Runtime.callFunctionOn. Plain ES5-ish
// source strings on purpose: a TypeScript function's toString() would carry the transpiler's
// helpers with it. Everything they allocate is garbage when the call returns, except one
// WeakRef per tracked collection (see census.ts for why identity needs it).

/**
 * this = tracked (Array<WeakRef>). Args: maps (Array<Map>), sets (Array<Set>),
 * opts { minSize, topN, drop: ascending indices to forget first }.
 * Steps, mirrored by the harness in this order: drop, read sizes (-1 = collected), compact
 * the collected away, append WeakRefs to the top-N collections not tracked yet.
 */
export const CENSUS_FN = `function census(maps, sets, opts) {
  var tracked = this;
  var mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
  var setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
  function sizeOf(o) {
    if (Array.isArray(o)) return o.length;
    try { return mapSize.call(o); } catch (e) {}
    try { return setSize.call(o); } catch (e) {}
    return -1;
  }
  for (var d = opts.drop.length - 1; d >= 0; d--) tracked.splice(opts.drop[d], 1);
  var sizes = new Array(tracked.length), live = [];
  for (var i = 0; i < tracked.length; i++) {
    var o = tracked[i].deref();
    sizes[i] = o === undefined ? -1 : sizeOf(o);
    if (sizes[i] !== -1) live.push(o);
  }
  var w = 0;
  for (var r = 0; r < tracked.length; r++) if (sizes[r] !== -1) tracked[w++] = tracked[r];
  tracked.length = w;
  var cand = [], candKind = [], candSize = [];
  function scan(arr, getter, kind) {
    for (var k = 0; k < arr.length; k++) {
      var s;
      try { s = getter.call(arr[k]); } catch (e) { continue; }
      if (s >= opts.minSize) { cand.push(arr[k]); candKind.push(kind); candSize.push(s); }
    }
  }
  scan(maps, mapSize, 'Map');
  scan(sets, setSize, 'Set');
  var order = new Array(cand.length);
  for (var q = 0; q < cand.length; q++) order[q] = q;
  order.sort(function (a, b) { return candSize[b] - candSize[a]; });
  var added = [];
  for (var j = 0; j < order.length && j < opts.topN; j++) {
    var c = order[j];
    if (live.indexOf(cand[c]) === -1) {
      tracked.push(new WeakRef(cand[c]));
      added.push([candKind[c], candSize[c]]);
    }
  }
  return { sizes: sizes, added: added, maps: maps.length, sets: sets.length, candidates: cand.length };
}`;

/**
 * this = tracked. Args: collections found by the name walk. Returns, per argument,
 * [index in tracked, 1 if newly appended else 0, size].
 */
export const MATCH_FN = `function match() {
  var tracked = this, out = [];
  var mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
  var setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
  function sizeOf(o) {
    if (Array.isArray(o)) return o.length;
    try { return mapSize.call(o); } catch (e) {}
    try { return setSize.call(o); } catch (e) {}
    return -1;
  }
  for (var a = 0; a < arguments.length; a++) {
    var o = arguments[a], idx = -1;
    for (var i = 0; i < tracked.length; i++) if (tracked[i].deref() === o) { idx = i; break; }
    var added = idx === -1 ? 1 : 0;
    if (added) { tracked.push(new WeakRef(o)); idx = tracked.length - 1; }
    out.push([idx, added, sizeOf(o)]);
  }
  return out;
}`;

/** this = tracked. Returns the live collections (by reference), for heap-snapshot id lookups. */
export const DEREF_FN = `function deref() {
  var out = new Array(this.length);
  for (var i = 0; i < this.length; i++) out[i] = this[i].deref();
  return out;
}`;
