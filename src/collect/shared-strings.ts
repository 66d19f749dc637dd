// Copies of parsed host snapshots that share their strings across the whole run.
//
// Two reasons, both about memory at thousands of hosts (issue 7: 10,000 hosts in ≤ 250 MB):
// - V8 makes substrings of 13+ characters as slices that keep the whole parent string alive,
//   so every unit name parsed from a host's output would pin that host's entire output
//   (measured: 48 KB kept per host instead of 13 KB). Every string here is a fresh flat copy.
// - A fleet repeats itself: unit names, descriptions, paths, states, listen addresses and
//   warnings are the same on most hosts. Keeping one copy of each distinct string brought a
//   healthy Debian 12 snapshot from ~14 KB to ~4 KB per host (what remains is the objects and
//   arrays themselves).
// The copy is a plain walk over JSON data (what a snapshot is), cheaper than the JSON round trip
// it replaces; like JSON it drops properties whose value is undefined.

/** Strings longer than this are copied but not remembered: long journal lines rarely repeat. */
const maxSharedLength = 1024;

export class SharedStrings {
  private readonly known = new Map<string, string>();

  /** Distinct strings remembered so far (for tests and diagnostics). */
  get size(): number {
    return this.known.size;
  }

  /** One canonical, flat copy of `text`, the same object for every equal string of the run. */
  string(text: string): string {
    const shared = this.known.get(text);
    if (shared !== undefined) return shared;
    // A JSON round trip of the string alone is the one portable way to get a flat copy that
    // owns its characters (slice/concat tricks may return the same sliced string).
    const copy = JSON.parse(JSON.stringify(text)) as string;
    if (copy.length <= maxSharedLength) this.known.set(copy, copy);
    return copy;
  }

  /** A deep copy of JSON data with every string shared. */
  copy<T>(value: T): T {
    return this.copyValue(value) as T;
  }

  private copyValue(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((item: unknown) => this.copyValue(item));
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      // Not plain data (none is expected in a snapshot): keep JSON's meaning of it.
      return JSON.parse(JSON.stringify(value)) as unknown;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = this.copyValue(item);
    }
    return out;
  }
}
