/**
 * Which process group owns each listening TCP socket, remembered across
 * samples. A listening socket keeps its inode and its owner until it closes
 * (then it leaves the listen table), so `status` needs the table (two small
 * files) and scans the fds of a group's processes only while some listening
 * socket is unexplained for that group: with 300 idle processes and no new
 * servers, a `status` reads no process's fds at all. A socket found in none of
 * the scanned groups (another program's) is remembered as such per group, so
 * a later group still gets scanned once. The table itself is kept for up to a
 * second (a new listener shows within that; readiness probes ask `fresh`).
 * The table, the scan and the clock are parameters (fakes in tests).
 */

/** Listening sockets now: inode -> port. */
export type ListenTable = Map<number, number>;

/** The socket inodes held by the processes of each given group: inode -> pgid. */
export type GroupScan = (pgids: ReadonlySet<number>) => Map<number, number>;

/** Owners of listening sockets, learned by scanning only the groups not yet checked. */
export class ListenOwners {
  /** inode -> the group holding it. */
  readonly #owner = new Map<number, number>();
  /** inode -> groups scanned that do not hold it. */
  readonly #notIn = new Map<number, Set<number>>();

  #table: ListenTable = new Map();
  #readAt = -Infinity;

  /**
   * The table is read again when older than `maxAgeMs` or when a call asks for
   * `fresh` (reading it walks every TCP socket of the machine: 5 ms with 500).
   */
  constructor(
    private readonly readTable: () => ListenTable,
    private readonly scan: GroupScan,
    private readonly maxAgeMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The ports each of `pgids` listens on now, ascending (every asked group has
   * an entry). `scan` replaces the constructor's for this call (a caller that
   * already knows the groups' members).
   */
  ports(
    pgids: ReadonlySet<number>,
    scan: GroupScan = this.scan,
    fresh = false,
  ): Map<number, number[]> {
    const t = this.now();
    if (fresh || t - this.#readAt > this.maxAgeMs) {
      this.#table = this.readTable();
      this.#readAt = t;
    }
    const table = this.#table;
    for (const i of this.#owner.keys()) if (!table.has(i)) this.#owner.delete(i);
    for (const i of this.#notIn.keys()) if (!table.has(i)) this.#notIn.delete(i);
    const unchecked = new Set<number>();
    for (const i of table.keys()) {
      if (this.#owner.has(i)) continue;
      const checked = this.#notIn.get(i);
      for (const g of pgids) if (!checked?.has(g)) unchecked.add(g);
    }
    if (unchecked.size) {
      const found = scan(unchecked);
      for (const i of table.keys()) {
        if (this.#owner.has(i)) continue;
        const g = found.get(i);
        if (g !== undefined) {
          this.#owner.set(i, g);
          this.#notIn.delete(i);
          continue;
        }
        const checked = this.#notIn.get(i) ?? new Set<number>();
        for (const u of unchecked) checked.add(u);
        this.#notIn.set(i, checked);
      }
    }
    const out = new Map<number, number[]>();
    for (const g of pgids) out.set(g, []);
    for (const [i, g] of this.#owner) out.get(g)?.push(table.get(i)!);
    for (const ports of out.values()) ports.sort((a, b) => a - b);
    return out;
  }
}
