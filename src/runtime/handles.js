// A component instance's handle table (`Table` in the spec): index 0 is never used,
// freed slots are reused last-in first-out, and the length is capped.
import { trap } from './trap.js';

const handleTableMax = 2 ** 28 - 1;

export class HandleTable {
  constructor() {
    /** @type {unknown[]} */
    this.array = [null];
    /** @type {number[]} */
    this.free = [];
  }

  /** Adds `entry`, returning its index. @param {unknown} entry */
  add(entry) {
    if (this.free.length > 0) {
      const i = this.free.pop();
      this.array[i] = entry;
      return i;
    }
    const i = this.array.length;
    if (i > handleTableMax) trap('handle table is full');
    this.array.push(entry);
    return i;
  }

  /** The entry at `i`; traps for free or out-of-range indices. @param {number} i */
  get(i) {
    i >>>= 0;
    const e = i < this.array.length ? this.array[i] : null;
    if (e === null || e === undefined) trap(`unknown handle index ${i}`);
    return e;
  }

  /** Removes and returns the entry at `i`. @param {number} i */
  remove(i) {
    i >>>= 0;
    const e = this.get(i);
    this.array[i] = null;
    this.free.push(i);
    return e;
  }
}
