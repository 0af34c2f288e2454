// JS objects for resource handles held by the host.
//
// A resource defined by a guest reaches JS as an object of the resource's class that
// holds the representation (`rep`) of an owned or borrowed handle. An owned one runs
// the destructor when disposed (`Symbol.dispose`) or, failing that, when collected
// (FinalizationRegistry). Passing an owned object back to a guest moves it: the object
// becomes dead. A resource defined by the host is any JS object; the guest sees it
// through a per-component table of host objects (`HostReps`).
//
// The handle state (rep, resource type, owned or borrowed) is in private fields of
// `WrapState`, which this copy of the runtime stamps onto the objects it makes. So only
// objects this copy made are handles: a copy (`{...obj}`, `structuredClone`, own
// properties copied onto another object of the class) has no state, and no property
// set on any object changes a handle's rep or type. Every check is a read of a private
// field (which throws for an object without it), as fast as a property read. Every
// transpiled module has its own copy, with its own private names; its resource types
// are its own too, so an object only ever goes back to the module that made it (another
// module holds it as a host resource: an opaque object whose methods and
// `[Symbol.dispose]` are still those of the module that made it).

/** Returns its argument as `this`, so a subclass can add private fields to an object it did not construct. */
class WrapAdopt {
  /** @param {object} obj */
  constructor(obj) {
    return obj;
  }
}

/** The handle state of the resource objects this copy of the runtime made. */
class WrapState extends WrapAdopt {
  /** The rep; `undefined` once moved or disposed. @type {number | undefined} */
  #rep;
  /** @type {import('./resources.js').ResourceType} */
  #type;
  /** @type {boolean} */
  #owned;

  /**
   * Stamps `obj` with a handle's state.
   * @param {object} obj @param {import('./resources.js').ResourceType} type @param {number} rep
   * @param {boolean} owned
   */
  constructor(obj, type, rep, owned) {
    super(obj);
    this.#rep = rep;
    this.#type = type;
    this.#owned = owned;
  }

  /**
   * The resource type of `obj` if this copy of the runtime made it, else `undefined`.
   * (Reading a private field an object lacks throws: that is the brand check. `#type in
   * obj` is one too, but measured slower per call on node 20 and 24.)
   * @param {unknown} obj @returns {import('./resources.js').ResourceType | undefined}
   */
  static type(obj) {
    try {
      return /** @type {WrapState} */ (obj).#type;
    } catch {
      return undefined;
    }
  }

  /**
   * The rep of `obj`, a live handle of `type`. Throws `TypeError` for anything else:
   * another object, one of another type, a dead one. (The brand check is inline: this
   * runs on every call that passes a handle.)
   * @param {unknown} obj @param {import('./resources.js').ResourceType} type
   * @returns {number}
   */
  static borrow(obj, type) {
    let t;
    try {
      t = /** @type {WrapState} */ (obj).#type;
    } catch {
      t = undefined;
    }
    if (t !== type) throw new TypeError(`expected a ${type.name} resource for a borrowed handle`);
    const rep = /** @type {WrapState} */ (obj).#rep;
    if (rep === undefined) throw new TypeError(`not a valid ${type.name} resource: it was already moved or disposed`);
    return rep;
  }

  /**
   * The rep of `obj` if it is a live handle of `type`, else `undefined` (what is wrong
   * then is `handleProblem`'s to say: this is the test of a call's fast path).
   * @param {unknown} obj @param {import('./resources.js').ResourceType} type
   * @returns {number | undefined}
   */
  static live(obj, type) {
    let t;
    try {
      t = /** @type {WrapState} */ (obj).#type;
    } catch {
      return undefined;
    }
    return t === type ? /** @type {WrapState} */ (obj).#rep : undefined;
  }

  /**
   * Moves the rep out of `obj`, a live owned handle of `type`: `obj` is dead from then
   * on. Throws `TypeError` as `borrow` does, and for a borrowed handle.
   * @param {unknown} obj @param {import('./resources.js').ResourceType} type @returns {number}
   */
  static take(obj, type) {
    let t;
    try {
      t = /** @type {WrapState} */ (obj).#type;
    } catch {
      t = undefined;
    }
    if (t !== type) throw new TypeError(`expected a ${type.name} resource for an owned handle`);
    const o = /** @type {WrapState} */ (obj);
    const rep = o.#rep;
    if (rep === undefined) throw new TypeError(`not a valid ${type.name} resource: it was already moved or disposed`);
    if (!o.#owned) throw new TypeError(`a borrowed ${type.name} cannot be passed as owned`);
    o.#rep = undefined;
    wrapFinalizer.unregister(o);
    return rep;
  }

  /**
   * Disposes `obj` if it is a live owned handle: kills it and runs the destructor. Does
   * nothing for anything else (dead, borrowed, or not an object this copy made).
   * @param {unknown} obj
   */
  static dispose(obj) {
    const type = WrapState.type(obj);
    if (type === undefined) return;
    const o = /** @type {WrapState} */ (obj);
    const rep = o.#rep;
    if (rep === undefined || !o.#owned) return;
    o.#rep = undefined;
    wrapFinalizer.unregister(o);
    type.dtor?.(rep);
  }
}

/**
 * Runs the destructor of an owned object that was collected without being disposed.
 * No JS code called it, so a failure (the guest trapped: its instance is poisoned by the
 * destructor's wrapper, `state.rs::dtor_fn`) is reported with `console.error` instead
 * of thrown: a throw from a FinalizationRegistry callback is an uncaught exception,
 * which ends a node process.
 */
const wrapFinalizer = new FinalizationRegistry((/** @type {{type: import('./resources.js').ResourceType, rep: number}} */ held) => {
  try {
    held.type.dtor?.(held.rep);
  } catch (e) {
    console.error(
      `weft: the destructor of a collected \`${held.type.name}\` resource (not disposed with [Symbol.dispose]) failed; its component instance is poisoned:`,
      e,
    );
  }
});

/**
 * Wraps an owned rep in a new object of class `cls`.
 * @param {Function} cls @param {import('./resources.js').ResourceType} type @param {number} rep
 */
export function wrapOwn(cls, type, rep) {
  const obj = new WrapState(Object.create(cls.prototype), type, rep, true);
  if (type.dtor) wrapFinalizer.register(obj, { type, rep }, obj);
  return obj;
}

/**
 * Wraps a borrowed rep; the object is only valid during the call.
 * @param {Function} cls @param {import('./resources.js').ResourceType} type @param {number} rep
 */
export function wrapBorrow(cls, type, rep) {
  return new WrapState(Object.create(cls.prototype), type, rep, false);
}

/**
 * Takes the rep out of an owned object (ownership moves to the callee).
 * @param {unknown} obj @param {import('./resources.js').ResourceType} type @returns {number}
 */
export function takeRep(obj, type) {
  return WrapState.take(obj, type);
}

/**
 * The rep of an object lent for the duration of a call.
 * @param {unknown} obj @param {import('./resources.js').ResourceType} type @returns {number}
 */
export function borrowRep(obj, type) {
  return WrapState.borrow(obj, type);
}

/**
 * The rep of an object lent for the duration of a call, or `undefined` when it is not a
 * live handle of `type` (the checks of a call then ask `handleProblem` why).
 * @param {unknown} obj @param {import('./resources.js').ResourceType} type
 * @returns {number | undefined}
 */
export function liveRep(obj, type) {
  return WrapState.live(obj, type);
}

/**
 * Disposes an owned object: runs the resource's destructor once. Anything else (a dead
 * or borrowed object, an object this runtime did not make) is left alone.
 * @param {unknown} obj
 */
export function disposeOwned(obj) {
  WrapState.dispose(obj);
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
