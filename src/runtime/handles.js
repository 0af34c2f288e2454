// A component instance's handle table (`class Table` of the spec): index 0 is never
// used, freed slots are reused last-in first-out, and the length is capped at
// MAX_LENGTH = 2^28 - 1. Entries are resource handles (resources.js) or anything else
// a table holds.
import { trap } from './trap.js';
import { CoreWaitableSet, Waitable } from './waitable.js';

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

/** What `CoreHandleTable.kind` says of a slot holding one of the runtime's objects: a waitable, a waitable set (the module's), anything else. */
const hostObjectKind = 0xffff;
const waitableKind = 0xfffe;
const waitableSetKind = 0xfffd;
/** What `CoreHandleTable.get` gives for a resource handle's slot: no runtime check accepts it. */
const coreResourceSlot = Object.freeze({ resourceSlot: true });

/** Until `bind`: the module does not exist yet. */
const unbound = () => trap('the handle table is used before its module exists');

/**
 * A component instance's handle table kept by a lowered module (`--lowered`, an async
 * component): the core module numbers the slots, holds the resource handles and checks
 * every index (trapping as `HandleTable` does, through its trap hook), and keeps the
 * waitable sets and which waitable is in which with an event pending (`waitables`,
 * waitable.js); the runtime's own objects — subtasks, stream and future ends, error
 * contexts — sit in `array` at their handle's index. `bind` gives it the module's
 * functions once the module is instantiated.
 */
export class CoreHandleTable {
  constructor() {
    /** The runtime's objects by handle; null elsewhere. @type {unknown[]} */
    this.array = [null];
    /** @type {(kind: number) => number} */
    this.newSlot = unbound;
    /** @type {(i: number) => number} */
    this.kind = unbound;
    /** @type {(i: number) => void} */
    this.removeSlot = unbound;
    /** @type {import('./waitable.js').CoreWaitables} */
    this.waitables = { pend: unbound, sync: unbound, setOf: unbound, leave: unbound, ready: unbound, take: unbound, wait: unbound };
    /** The instance's backpressure counter, which the module keeps. @type {() => number} */
    this.backpressure = unbound;
  }

  /**
   * @param {(kind: number) => number} newSlot @param {(i: number) => number} kind
   * @param {(i: number) => void} removeSlot @param {() => number} backpressure
   * @param {import('./waitable.js').CoreWaitables} waitables
   */
  bind(newSlot, kind, removeSlot, backpressure, waitables) {
    this.newSlot = newSlot;
    this.kind = kind;
    this.removeSlot = removeSlot;
    this.backpressure = backpressure;
    this.waitables = waitables;
  }

  /** @param {unknown} entry @returns {number} */
  add(entry) {
    const waitable = entry instanceof Waitable;
    const i = this.newSlot(waitable ? waitableKind : hostObjectKind);
    while (this.array.length <= i) this.array.push(null);
    this.array[i] = entry;
    if (waitable) entry.bindCore(this.waitables, i);
    return i;
  }

  /** @param {number} i @returns {any} */
  get(i) {
    i >>>= 0;
    const k = this.kind(i);
    if (k === waitableKind || k === hostObjectKind) return this.array[i];
    return k === waitableSetKind ? new CoreWaitableSet(this, i) : coreResourceSlot;
  }

  /** @param {number} i @returns {any} */
  remove(i) {
    i >>>= 0;
    const e = this.get(i);
    if (e instanceof Waitable) e.unbindCore();
    this.removeSlot(i);
    if (i < this.array.length) this.array[i] = null;
    return e;
  }
}
