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

/** What `CoreHandleTable.kind` says of a slot holding one of the runtime's objects. */
const hostObjectKind = 0xffff;
/** What `CoreHandleTable.get` gives for a resource handle's slot: no runtime check accepts it. */
const coreResourceSlot = Object.freeze({ resourceSlot: true });

/**
 * A component instance's handle table kept by a lowered module (`--lowered`, an async
 * component): the core module numbers the slots, holds the resource handles and checks
 * every index (trapping as `HandleTable` does, through its trap hook); the runtime's own
 * objects — waitables, waitable sets, subtasks, stream and future ends — sit in `array`
 * at their handle's index. `bind` gives it the module's `table-new`, `table-kind` and
 * `table-remove` once the module is instantiated.
 */
export class CoreHandleTable {
  constructor() {
    /** The runtime's objects by handle; null elsewhere. @type {unknown[]} */
    this.array = [null];
    /** @type {() => number} */
    this.newSlot = () => trap('the handle table is used before its module exists');
    /** @type {(i: number) => number} */
    this.kind = this.newSlot;
    /** @type {(i: number) => void} */
    this.removeSlot = this.newSlot;
  }

  /** @param {() => number} newSlot @param {(i: number) => number} kind @param {(i: number) => void} removeSlot */
  bind(newSlot, kind, removeSlot) {
    this.newSlot = newSlot;
    this.kind = kind;
    this.removeSlot = removeSlot;
  }

  /** @param {unknown} entry @returns {number} */
  add(entry) {
    const i = this.newSlot();
    while (this.array.length <= i) this.array.push(null);
    this.array[i] = entry;
    return i;
  }

  /** @param {number} i @returns {any} */
  get(i) {
    i >>>= 0;
    return this.kind(i) === hostObjectKind ? this.array[i] : coreResourceSlot;
  }

  /** @param {number} i @returns {any} */
  remove(i) {
    i >>>= 0;
    const e = this.get(i);
    this.removeSlot(i);
    if (i < this.array.length) this.array[i] = null;
    return e;
  }
}
