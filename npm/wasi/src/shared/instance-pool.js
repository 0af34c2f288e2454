// The instances a wasi:http handler component serves requests with (0.2 `serve`, 0.3
// `toFetchHandler`). A request that traps poisons its instance: every later call would
// fail with "cannot enter component instance: it trapped earlier". So the pool makes a
// fresh instance for the next request instead, and also once the current one has
// served `maxInstanceReuseCount` requests (1: an instance per request, as `wasmtime
// serve` does for WASI 0.2), and reports each trap with the request that caused it.

/**
 * Whether `e` is the trap of a call into a poisoned instance (weft's runtime marks it
 * `poisoned: true`): the instance trapped before this call, which did not run.
 * @param {unknown} e
 */
export function isPoisoned(e) {
  return e instanceof Error && /** @type {any} */ (e).poisoned === true;
}

/**
 * @typedef {object} PoolOptions
 * @property {number} [maxInstanceReuseCount] how many requests an instance serves
 *   before a fresh one replaces it (default: no limit; 1: an instance per request)
 * @property {(error: unknown, request: RequestLabel | null) => void} [onTrap] told of
 *   each trap with the request that caused it (null: none was in flight); default:
 *   `console.error`
 *
 * @typedef {{ method: string, path: string }} RequestLabel
 *
 * @typedef {object} Lease an instance of the pool
 * @property {Promise<any>} instance what `make` gave (rejected when it failed)
 * @property {number} served requests handed this instance so far
 * @property {boolean} dead it trapped (or failed to instantiate): never handed out again
 * @property {Set<RequestLabel>} active the requests it is serving now
 * @property {AbortSignal} signal aborted (with the trap) when it is retired for a trap,
 *   so that what still waits for it (a response body) fails instead of waiting forever
 * @property {(reason: unknown) => void} abort
 */

/** Logs a trap with its request. @param {unknown} error @param {RequestLabel | null} request */
function logTrap(error, request) {
  const what = request === null ? 'a component instance trapped outside any request' : `${request.method} ${request.path} trapped`;
  console.error(`${what}; the next request gets a fresh instance:`, error);
}

export class InstancePool {
  /**
   * @param {() => any} make a fresh instance (or a promise of one)
   * @param {PoolOptions} [options]
   */
  constructor(make, options = {}) {
    const max = options.maxInstanceReuseCount ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max >= 1))) {
      throw new RangeError(`maxInstanceReuseCount: expected a whole number of at least 1, got ${max}`);
    }
    this.make = make;
    this.max = max;
    this.onTrap = options.onTrap ?? logTrap;
    /** @type {Lease | null} */
    this.current = null;
    /** Leases serving requests now. @type {Set<Lease>} */
    this.busy = new Set();
  }

  /** The instance for the next request, `request`: the current one, or a fresh one.
   * Call `done` when the request is over. @param {RequestLabel} request @returns {Lease} */
  lease(request) {
    let c = this.current;
    if (c === null || c.dead || c.served >= this.max) {
      const abort = new AbortController();
      /** @type {Lease} */
      const fresh = {
        instance: Promise.resolve().then(() => this.make()),
        served: 0,
        dead: false,
        active: new Set(),
        signal: abort.signal,
        abort: (reason) => abort.abort(reason),
      };
      // An instantiation that failed is not kept: the next request tries again.
      fresh.instance.catch(() => this.retire(fresh));
      c = this.current = fresh;
    }
    c.served++;
    c.active.add(request);
    this.busy.add(c);
    return c;
  }

  /** `request`, which `lease` served, is over. @param {Lease} lease @param {RequestLabel} request */
  done(lease, request) {
    lease.active.delete(request);
    if (lease.active.size === 0) this.busy.delete(lease);
  }

  /** `lease`'s instance is not handed out again. @param {Lease} lease */
  retire(lease) {
    lease.dead = true;
    if (this.current === lease) this.current = null;
  }

  /** `request` trapped `lease`'s instance: retire it, fail what still waits for it, and
   * report the trap. @param {Lease} lease @param {unknown} error @param {RequestLabel | null} request */
  trapped(lease, error, request) {
    if (lease.dead) return;
    this.retire(lease);
    lease.abort(error);
    this.onTrap(error, request);
  }

  /**
   * A trap no call was waiting for (a task that ran on after its call returned, such as
   * one streaming a response body): the instances serving requests now are suspect,
   * and retired with each request reported; with none, the current instance is.
   * (`weft serve` hands it what the runtime reports through `reportError`.)
   * @param {unknown} error
   */
  trappedOutside(error) {
    const busy = [...this.busy];
    if (busy.length === 0) {
      if (this.current !== null) this.trapped(this.current, error, null);
      else this.onTrap(error, null);
      return;
    }
    for (const lease of busy) {
      const [first, ...rest] = lease.active;
      this.trapped(lease, error, first);
      for (const r of rest) this.onTrap(error, r);
    }
  }
}
