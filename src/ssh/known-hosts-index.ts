// Host-name lookup in parsed known_hosts entries for fleets of thousands of hosts. Scanning
// every line for every host is quadratic (10,000 hosts × 10,000 lines is 10^8 glob matches per
// run); most lines name their hosts literally, so those are found through a map, and only
// wildcard, negated and hashed lines are still tried one by one.
import { entryMatchesHost, type KnownHostEntry } from './known-hosts.js';

export class KnownHostsIndex {
  /** Entries whose host patterns are all plain names, by each name (lower-cased). */
  private readonly byName = new Map<string, number[]>();
  /**
   * Wildcard, negated and hashed entries: they must be tested against each name. A hashed
   * line costs one HMAC per lookup — inherent to the format, as in OpenSSH.
   */
  private readonly scanned: number[] = [];

  constructor(private readonly entries: readonly KnownHostEntry[]) {
    entries.forEach((entry, position) => {
      const hosts = entry.hosts;
      const literal =
        hosts.kind === 'patterns' && hosts.patterns.every((pattern) => !pattern.negated && !/[*?]/.test(pattern.text));
      if (!literal) {
        this.scanned.push(position);
        return;
      }
      for (const pattern of hosts.patterns) {
        const positions = this.byName.get(pattern.text);
        if (positions === undefined) this.byName.set(pattern.text, [position]);
        // A line listing the same name twice must still count once.
        else if (positions.at(-1) !== position) positions.push(position);
      }
    });
  }

  /** The entries that name `name` (knownHostsName form), in file order, as a full scan finds them. */
  entriesFor(name: string): KnownHostEntry[] {
    const literal = this.byName.get(name) ?? [];
    const scanned = this.scanned.filter((position) => {
      const entry = this.entries[position];
      return entry !== undefined && entryMatchesHost(entry, name);
    });
    const positions = scanned.length === 0 ? literal : [...literal, ...scanned].sort((a, b) => a - b);
    return positions.flatMap((position) => this.entries[position] ?? []);
  }
}
