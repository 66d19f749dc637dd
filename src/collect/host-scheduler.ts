// Which host to start next: at most `concurrency` at once overall and at most `perAddress` at
// once per target (address:port), in inventory order as far as the caps allow.
//
// A per-target cap inside a plain p-limit queue would let hosts waiting for a busy target hold
// global slots (100 hosts behind one load balancer at the head of the inventory would shrink
// the whole run to the per-target cap); here a host only takes a slot when it can start, and
// hosts of other targets overtake it meanwhile.

export interface SchedulerLimits {
  concurrency: number;
  /** Sessions at once towards one address:port (one sshd and its MaxStartups). */
  perAddress: number;
}

export class HostScheduler<T> {
  private readonly concurrency: number;
  private readonly perAddress: number;
  /** Next item of `items` not yet started or parked. */
  private cursor = 0;
  /** Items whose target was full when their turn came, per target, in order. */
  private readonly parked = new Map<string, number[]>();
  private readonly runningByKey = new Map<string, number>();
  private running = 0;
  private closed = false;

  constructor(
    private readonly items: readonly T[],
    private readonly keyOf: (item: T) => string,
    limits: SchedulerLimits,
  ) {
    this.concurrency = Math.max(1, Math.floor(limits.concurrency));
    this.perAddress = Math.max(1, Math.floor(limits.perAddress));
  }

  get active(): number {
    return this.running;
  }

  /**
   * Indices to start now (possibly none), marking them running. Call at the start and after
   * every `done`.
   */
  take(): number[] {
    const started: number[] = [];
    while (!this.closed && this.running < this.concurrency) {
      const next = this.nextStartable();
      if (next === undefined) break;
      const key = this.keyOf(this.itemAt(next));
      this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
      this.running += 1;
      started.push(next);
    }
    return started;
  }

  /** The item at `index` finished (whatever its outcome); its slots are free again. */
  done(index: number): void {
    const key = this.keyOf(this.itemAt(index));
    const count = (this.runningByKey.get(key) ?? 1) - 1;
    if (count === 0) this.runningByKey.delete(key);
    else this.runningByKey.set(key, count);
    this.running -= 1;
  }

  /** Start nothing more; `remaining()` lists what never started. */
  close(): void {
    this.closed = true;
  }

  /** Indices never started, in order. */
  remaining(): number[] {
    const parked = [...this.parked.values()].flat();
    const rest = Array.from({ length: this.items.length - this.cursor }, (_, i) => this.cursor + i);
    return [...parked, ...rest].sort((a, b) => a - b);
  }

  private nextStartable(): number | undefined {
    // A parked item goes first if its target has room and it precedes the cursor (it always
    // does: it was parked when the cursor passed it).
    let best: { key: string; index: number } | undefined;
    for (const [key, queue] of this.parked) {
      const head = queue[0];
      if (head === undefined || !this.hasRoom(key)) continue;
      if (best === undefined || head < best.index) best = { key, index: head };
    }
    if (best !== undefined) {
      const queue = this.parked.get(best.key);
      queue?.shift();
      if (queue?.length === 0) this.parked.delete(best.key);
      return best.index;
    }
    while (this.cursor < this.items.length) {
      const index = this.cursor;
      this.cursor += 1;
      const key = this.keyOf(this.itemAt(index));
      if (this.hasRoom(key) && !this.parked.has(key)) return index;
      const queue = this.parked.get(key);
      if (queue === undefined) this.parked.set(key, [index]);
      else queue.push(index);
    }
    return undefined;
  }

  private hasRoom(key: string): boolean {
    return (this.runningByKey.get(key) ?? 0) < this.perAddress;
  }

  private itemAt(index: number): T {
    const item = this.items[index];
    if (item === undefined) throw new Error(`scheduler: no item ${index}`);
    return item;
  }
}
