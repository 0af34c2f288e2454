// Canonical ABI traps. `Trap` extends WebAssembly.RuntimeError, so code that catches
// core wasm traps catches these too. It is created once per JS realm (keyed by a
// registered symbol), so every transpiled component and every copy of this runtime
// throws the same class and `instanceof Trap` works across them.

/** @type {new (message: string) => WebAssembly.RuntimeError} */
export const Trap = (globalThis[Symbol.for('weft.Trap')] ??= class Trap extends WebAssembly.RuntimeError {
  /** @param {string} message the cause */
  constructor(message) {
    super(message);
    this.name = 'Trap';
  }
});

/**
 * Throws a `Trap` naming the cause (the spec's `trap_if`).
 * @param {string} message
 * @returns {never}
 */
export function trap(message) {
  throw new Trap(message);
}

/**
 * The Trap of a call into a component instance that trapped earlier (it is poisoned):
 * nothing of the call ran. `poisoned: true` tells it from other traps, for hosts that
 * replace such an instance (`weft serve`'s instance pool) instead of matching a message.
 * @returns {WebAssembly.RuntimeError & { poisoned: true }}
 */
export function poisonedTrap() {
  const t = /** @type {any} */ (new Trap('cannot enter component instance: it trapped earlier'));
  t.poisoned = true;
  return t;
}

/** Throws `poisonedTrap()`. @returns {never} */
export function trapPoisoned() {
  throw poisonedTrap();
}

/** A promise rejected with `poisonedTrap()`. @returns {Promise<never>} */
export function rejectPoisoned() {
  return Promise.reject(poisonedTrap());
}

/**
 * A promise rejected with a Trap: how a call that returns a promise reports one.
 * @param {string} message @returns {Promise<never>}
 */
export function rejectTrap(message) {
  return Promise.reject(new Trap(message));
}

/**
 * The pointer checks of the canonical ABI: `ptr` (unsigned) is aligned to `align` and
 * `size` bytes from it fit in the memory `view` shows. `what` names the pointer.
 * @param {DataView} view @param {number} ptr @param {number} align @param {number} size
 * @param {string} what
 */
export function checkPtr(view, ptr, align, size, what) {
  if ((ptr & (align - 1)) !== 0) trap(`${what} is not aligned to ${align} bytes`);
  if (ptr + size > view.byteLength) trap(`${what} is out of bounds of linear memory`);
}

/**
 * What a throw out of a component's core code becomes at the component boundary: a
 * core exception (`WebAssembly.Exception`) must not cross it, so it is a `Trap` with
 * the exception as its `cause`; anything else (a `Trap`, a host's JS error passing
 * through) is returned as it is.
 * @param {unknown} e
 * @returns {unknown}
 */
export function boundaryError(e) {
  if (typeof WebAssembly.Exception === 'function' && e instanceof WebAssembly.Exception) {
    const t = new Trap('a core wasm exception was not caught inside the component');
    t.cause = e;
    return t;
  }
  return e;
}

/**
 * `f`, a core function of a component that can throw core exceptions, made to turn
 * them into traps (`boundaryError`): what a direct link calls across components.
 * @param {Function} f
 * @returns {Function}
 */
export function guardExceptions(f) {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      throw boundaryError(e);
    }
  };
}

/** The pointers a fused adapter compiled into core wasm checks (weft-lower's `Ptr`). */
const adapterPointers = ['list pointer', 'realloc return value', 'result pointer', 'parameter pointer'];

/**
 * The `trap` hook of fused adapters and handle tables compiled into core wasm
 * (`weft_lower::adapter`, `weft_lower::handles`): the Trap the JS adapter or the JS
 * tables (resources.js) throw for the same failed check, from a code and two numbers.
 * @param {number} code @param {number} a @param {number} b
 * @param {string[]} [names] the resource types' names, by number - 1
 * @returns {never}
 */
export function adapterTrap(code, a, b, names = []) {
  switch (code) {
    case 0:
      return trapPoisoned();
    case 1:
      return trap(`${adapterPointers[a]} is not aligned to ${b} bytes`);
    case 2:
      return trap(`${adapterPointers[a]} is out of bounds of linear memory`);
    case 3:
      return trap(`string of ${(b >>> 0) * 2 ** 32 + (a >>> 0)} bytes is too long for the canonical ABI`);
    case 4:
      return trap('string is out of bounds of linear memory');
    case 5:
      return trap('invalid UTF-8 string');
    case 6:
      return trap(`realloc return value ${a >>> 0} + ${b >>> 0} bytes is out of bounds of linear memory`);
    case 7:
      return trap('list is too long for the canonical ABI');
    case 8:
      return trap('invalid char code point');
    case 9:
      return trap('invalid variant discriminant');
    case 10:
      return trap(`string pointer ${a >>> 0} is not aligned to ${b} bytes`);
    case 11:
      return trap('invalid UTF-16 string');
    case 12:
      return trap(`realloc return value ${a >>> 0} is not aligned to ${b} bytes`);
    case 13:
      return trap('handle table is full');
    case 14:
      return trap(`unknown handle index ${a >>> 0}`);
    case 15:
      return trap(`handle is not a \`${names[(b & 0xffff) - 1]}\` (index ${a >>> 0} holds a \`${names[(b >>> 16) - 1]}\`)`);
    case 16:
      return trap('cannot move a handle that is lent out');
    case 17:
      return trap('expected an owned handle, got a borrowed one');
    case 18:
      return trap('cannot drop a handle that is lent out');
    case 19:
      return trap('borrow handles still remain at the end of the call');
    case 20:
      return trap('cannot leave component instance');
    case 21:
      return trap(`index ${a >>> 0} is not a waitable${b === 0xfffd ? ' set' : ''}`);
    case 22:
      return trap('cannot drop a waitable set that still contains waitables');
    case 23:
      return trap('cannot drop a waitable set that a task is waiting on');
    case 24:
      return trap('cannot join a waitable that a synchronous call is waiting on');
    case 25:
      return trap('event pointer out of bounds');
    case 26:
      return trap('a core wasm exception was not caught inside the component');
    case 27:
      return trap('backpressure counter overflow');
    case 28:
      return trap('backpressure counter underflow');
    default:
      return trap(`a fused adapter failed (code ${code})`);
  }
}
