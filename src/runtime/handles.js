// A component instance's handle table (`class Table` of the spec): index 0 is never
// used, freed slots are reused last-in first-out, and the length is capped at
// MAX_LENGTH = 2^28 - 1. Entries are resource handles (resources.js) or anything else
// a table holds.
import { trap } from './trap.js';

const handleTableMax = 2 ** 28 - 1;

export class HandleTable {
  constructor() {
    /** Slot 0 is the reserved null entry. @type {unknown[]} */
    this.array = [null];
    /** Free slots, reused last-in first-out. @type {number[]} */
    this.free = [];
  }

  /**
   * Adds `entry`, returning its index; traps when the table would exceed MAX_LENGTH.
   * @param {unknown} entry @returns {number}
   */
  add(entry) {
    if (this.free.length > 0) {
      const i = /** @type {number} */ (this.free.pop());
      this.array[i] = entry;
      return i;
    }
    const i = this.array.length;
    if (i > handleTableMax) trap('handle table is full');
    this.array.push(entry);
    return i;
  }

  /**
   * The entry at `i`; traps for free or out-of-range indices (and index 0).
   * @param {number} i @returns {any}
   */
  get(i) {
    i >>>= 0;
    const e = i < this.array.length ? this.array[i] : null;
    if (e === null || e === undefined) trap(`unknown handle index ${i}`);
    return e;
  }

  /**
   * Removes and returns the entry at `i` (trapping as `get` does); the slot is freed.
   * @param {number} i @returns {any}
   */
  remove(i) {
    i >>>= 0;
    const e = this.get(i);
    this.array[i] = null;
    this.free.push(i);
    return e;
  }
}
