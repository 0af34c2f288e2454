// JS objects for resource handles held by the host.
//
// A resource defined by a guest reaches JS as an object of the resource's class that
// holds the representation (`rep`) of an owned or borrowed handle. An owned one runs
// the destructor when disposed (`Symbol.dispose`) or, failing that, when collected
// (FinalizationRegistry). Passing an owned object back to a guest moves it: the object
// becomes dead. A resource defined by the host is any JS object; the guest sees it
// through a per-component table of host objects (`HostReps`).

const wrapRep = Symbol.for('weft.rep');
const wrapType = Symbol.for('weft.resourceType');
const wrapOwned = Symbol.for('weft.owned');

const wrapFinalizer = new FinalizationRegistry((held) => {
  if (held.type.dtor) held.type.dtor(held.rep);
});

/**
 * Wraps an owned rep in a new object of class `cls`.
 * @param {Function} cls @param {{dtor: ((rep: number) => void) | null}} type @param {number} rep
 */
export function wrapOwn(cls, type, rep) {
  const obj = Object.create(cls.prototype);
  obj[wrapRep] = rep;
  obj[wrapType] = type;
  obj[wrapOwned] = true;
  wrapFinalizer.register(obj, { type, rep }, obj);
  return obj;
}

/**
 * Wraps a borrowed rep; the object is only valid during the call.
 * @param {Function} cls @param {object} type @param {number} rep
 */
export function wrapBorrow(cls, type, rep) {
  const obj = Object.create(cls.prototype);
  obj[wrapRep] = rep;
  obj[wrapType] = type;
  obj[wrapOwned] = false;
  return obj;
}

function wrapCheck(obj, type, what) {
  if (obj === null || typeof obj !== 'object' || obj[wrapType] !== type) {
    throw new TypeError(`expected a ${type.name} resource for ${what}`);
  }
  if (obj[wrapRep] === undefined) {
    throw new TypeError(`the ${type.name} resource was already moved or disposed`);
  }
}

/**
 * Takes the rep out of an owned object (ownership moves to the callee).
 * @param {object} obj @param {object} type @returns {number}
 */
export function takeRep(obj, type) {
  wrapCheck(obj, type, 'an owned handle');
  if (!obj[wrapOwned]) throw new TypeError(`a borrowed ${type.name} cannot be passed as owned`);
  const rep = obj[wrapRep];
  obj[wrapRep] = undefined;
  wrapFinalizer.unregister(obj);
  return rep;
}

/**
 * The rep of an object lent for the duration of a call.
 * @param {object} obj @param {object} type @returns {number}
 */
export function borrowRep(obj, type) {
  wrapCheck(obj, type, 'a borrowed handle');
  return obj[wrapRep];
}

/**
 * Disposes an owned object: runs the resource's destructor once.
 * @param {object} obj
 */
export function disposeOwned(obj) {
  const rep = obj[wrapRep];
  if (rep === undefined || !obj[wrapOwned]) return;
  obj[wrapRep] = undefined;
  wrapFinalizer.unregister(obj);
  const type = obj[wrapType];
  if (type.dtor) type.dtor(rep);
}

/**
 * A table of host objects that guests hold handles to; index 0 is unused. An object
 * has one rep while any handle to it exists, counted, so the same object can be owned
 * by several handles and lent during calls.
 */
export class HostReps {
  constructor() {
    /** @type {unknown[]} */
    this.objects = [undefined];
    /** @type {number[]} */
    this.counts = [0];
    /** @type {number[]} */
    this.free = [];
    this.reps = new WeakMap();
  }

  /** @param {object} obj @returns {number} */
  hostRepAdd(obj) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
      throw new TypeError('expected an object for a host resource handle');
    }
    let rep = this.reps.get(obj);
    if (rep === undefined) {
      rep = this.free.length > 0 ? this.free.pop() : this.objects.length;
      this.objects[rep] = obj;
      this.counts[rep] = 0;
      this.reps.set(obj, rep);
    }
    this.counts[rep]++;
    return rep;
  }

  /** The rep for an object moved into a guest as `own`. @param {object} obj */
  own(obj) {
    return this.hostRepAdd(obj);
  }

  /**
   * The rep for an object lent to a guest for one call; released by `endCall`.
   * @param {object} obj @param {import('./resources.js').CallContext} cx
   */
  lend(obj, cx) {
    const rep = this.hostRepAdd(obj);
    cx.hostLends.push(this, rep);
    return rep;
  }

  /** The object for `rep`. @param {number} rep */
  get(rep) {
    return this.objects[rep];
  }

  /** Gives up one reference; returns the object. @param {number} rep */
  take(rep) {
    const obj = this.objects[rep];
    if (--this.counts[rep] === 0) {
      this.objects[rep] = undefined;
      this.free.push(rep);
      this.reps.delete(obj);
    }
    return obj;
  }

  /** Destructor for host resources dropped by a guest. @param {number} rep */
  drop(rep) {
    const last = this.counts[rep] === 1;
    const obj = this.take(rep);
    if (last && obj && typeof obj[Symbol.dispose] === 'function') obj[Symbol.dispose]();
  }
}
