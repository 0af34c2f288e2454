// The driver's engine: a turn clock the host side runs on, the bookkeeping of export
// calls, host promises, stream sources and sinks, and the checks made at the end of a
// run. A target (targets/*.mjs) only describes what to call; the engine decides nothing
// about a component.
//
// Time is counted in turns of the event loop (one `setImmediate` each), never in
// milliseconds, so that a run depends on its seed and not on the machine's speed.
import { describeWaiting } from './world.mjs';

/** The turn clock: events fire on later turns of the event loop. */
export class Clock {
  constructor() {
    this.turn = 0;
    /** @type {Map<number, (() => void)[]>} */
    this.queue = new Map();
    this.count = 0;
  }

  /** Runs `fn` `n` turns from now (n >= 1). */
  after(n, fn) {
    const at = this.turn + Math.max(1, n | 0);
    const list = this.queue.get(at);
    if (list) list.push(fn);
    else this.queue.set(at, [fn]);
    this.count++;
  }

  /** A promise resolved `n` turns from now. */
  sleep(n) {
    return new Promise((resolve) => this.after(n, resolve));
  }

  /** One turn: lets the event loop run once, then fires the events due. */
  async step() {
    await new Promise((resolve) => setImmediate(resolve));
    this.turn++;
    const due = this.queue.get(this.turn);
    if (due) {
      this.queue.delete(this.turn);
      this.count -= due.length;
      for (const fn of due) fn();
    }
  }
}

/** A host-side delay: none (synchronous), a few microtask hops, or some turns. */
export function randomDelay(rng, maxTurns = 6) {
  return rng.weighted([
    [2, { kind: 'now' }],
    [3, { kind: 'micro', n: rng.range(1, 4) }],
    [5, { kind: 'turns', n: rng.range(1, maxTurns) }],
  ]);
}

function delayText(d) {
  return d.kind === 'now' ? 'now' : `${d.n} ${d.kind}`;
}

/** The failure kinds a run reports. */
export const FAILURES = {
  pending: 'an export promise never settled',
  uncaught: 'node saw an uncaught exception',
  unhandled: 'node saw an unhandled rejection',
  'bad-error': 'a call failed with an error that is not a documented class',
  'wrong-result': 'a call returned a wrong value',
  leak: 'state left over after every call settled',
  stranded: 'a waiting thread is ready but no tick is queued (missed wakeup)',
  'replay-mismatch': 'the spec script gave another result under a random schedule',
  'stream-hang': 'a host read of a guest stream never completed',
  crash: 'the run itself threw',
};

let nextId = 0;

/** The state of one run: its randomness, clock, calls, host activity and findings. */
export class Run {
  /**
   * @param {import('./world.mjs').World} world @param {import('./prng.mjs').Rng} rng
   * @param {{ long?: boolean }} options
   */
  constructor(world, rng, options = {}) {
    this.world = world;
    this.rng = rng;
    this.long = !!options.long;
    this.clock = new Clock();
    /** @type {Call[]} */
    this.calls = [];
    /** Driver-side activities the run waits for (stream consumers, host calls). @type {Set<Promise<unknown>>} */
    this.tasks = new Set();
    this.taskLabels = new Map();
    /** @type {{ kind: string, message: string }[]} */
    this.failures = [];
    /** Errors the driver's host made (rejections and throws of host imports). */
    this.hostErrors = new WeakSet();
    /** Reasons the driver aborted calls with. */
    this.abortReasons = new WeakSet();
    /** A trap (or a host error, which poisons) was seen: the world is not clean. */
    this.trapped = false;
    /** Set when the run ends its normal phase: consumers stop waiting and cancel. */
    this.sweeping = false;
    this.sweep = new Promise((resolve) => {
      this.startSweep = () => {
        this.sweeping = true;
        resolve(undefined);
      };
    });
    /** Short trace of what the run did, printed with a failure. @type {string[]} */
    this.trace = [];
    /** Bumped by every event of the run (each `note`): turns without it are idle. */
    this.progress = 0;
    /** Checks made at the end, once it is known whether the run trapped. @type {[string, (trapped: boolean) => string | null][]} */
    this.deferred = [];
  }

  note(s) {
    this.progress++;
    if (this.trace.length < 400) this.trace.push(`t${this.clock.turn} ${s}`);
    if (process.env.WEFT_DRIVER_LIVE) process.stderr.write(`t${this.clock.turn} ${s}\n`);
  }

  fail(kind, message) {
    // Control characters (a corrupted string) would make the TAP output binary.
    message = String(message).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    this.failures.push({ kind, message });
    this.world.dirty = true;
  }

  /** Waits as `d` says. */
  wait(d) {
    if (d.kind === 'now') return undefined;
    if (d.kind === 'micro') {
      let p = Promise.resolve();
      for (let i = 1; i < d.n; i++) p = p.then(() => undefined);
      return p;
    }
    return this.clock.sleep(d.n);
  }

  /** Schedules `fn` on turn `turn` of the run (0: now). */
  at(turn, fn) {
    const go = () => {
      try {
        const r = fn();
        if (r && typeof r.then === 'function') this.track('op', r);
      } catch (e) {
        this.fail('crash', `an operation threw: ${e?.stack ?? e}`);
      }
    };
    if (turn <= 0) go();
    else this.clock.after(turn, go);
  }

  /** Waits for `p` as part of the run (the run ends after it). */
  track(label, p) {
    const q = Promise.resolve(p).then(
      () => undefined,
      (e) => this.fail('crash', `${label}: ${e?.stack ?? e}`),
    );
    this.tasks.add(q);
    this.taskLabels.set(q, label);
    q.finally(() => {
      this.tasks.delete(q);
      this.taskLabels.delete(q);
    });
    return p;
  }

  /**
   * A check made at the end of the run, when it is known whether an instance trapped:
   * `fn(trapped)` returns a complaint (a `wrong-result`) or null.
   */
  defer(label, fn) {
    this.deferred.push([label, fn]);
  }

  /** A host error: an Error the run knows it made. */
  hostError(what) {
    const e = new Error(`driver host error: ${what}`);
    this.hostErrors.add(e);
    return e;
  }

  /**
   * The result of a host import: `value` (or what `make()` returns) after a random
   * delay (`turns` fixes it), or a rejection / synchronous throw with a host error (with
   * the probabilities `reject` and `throws`). A rejection poisons the calling instance.
   */
  hostResult(label, make, { reject = 0, throws = 0, maxTurns = 6, turns = undefined } = {}) {
    const rng = this.rng;
    if (rng.chance(throws)) {
      this.note(`${label}: host throws`);
      throw this.hostError(`${label} threw`);
    }
    const bad = rng.chance(reject);
    const d = turns === undefined ? randomDelay(rng, maxTurns) : turns === 0 ? { kind: 'now' } : { kind: 'turns', n: turns };
    this.note(`${label}: host ${bad ? 'rejects' : 'resolves'} after ${delayText(d)}`);
    if (d.kind === 'now' && !bad) return make();
    const waited = this.wait(d) ?? Promise.resolve();
    return waited.then(() => {
      if (bad) throw this.hostError(`${label} rejected`);
      return make();
    });
  }

  /**
   * Calls an export. `invoke(options)` makes the call (passing `options`, which holds a
   * `signal` when the call may be cancelled). `check(value)` returns a complaint about a
   * returned value, or null; `then(value)` continues with it (a stream to consume).
   */
  call(label, invoke, { cancel = 0.25, check = null, then = null, expectFailure = false } = {}) {
    const rng = this.rng;
    const call = new Call(++nextId, label);
    this.calls.push(call);
    /** @type {AbortController | null} */
    let controller = null;
    let abortPlan = null;
    if (rng.chance(cancel)) {
      controller = new AbortController();
      abortPlan = rng.weighted([
        [1, 'before'],
        [2, 'sync'],
        [3, 'micro'],
        [6, 'turns'],
      ]);
      call.controller = controller;
    }
    const abort = () => {
      if (controller === null || controller.signal.aborted) return;
      const reason = new Error(`driver abort of ${label}`);
      this.abortReasons.add(reason);
      call.abortReason = reason;
      this.note(`abort ${label}#${call.id}`);
      controller.abort(reason);
    };
    call.abort = abort;
    if (abortPlan === 'before') abort();
    this.note(`call ${label}#${call.id}${abortPlan ? ` (abort ${abortPlan})` : ''}`);
    let r;
    try {
      r = invoke(controller ? { signal: controller.signal } : undefined);
    } catch (e) {
      this.settle(call, 'rejected', e, check, then, expectFailure);
      return call;
    }
    if (r instanceof Promise) {
      call.promise = r;
      r.then(
        (v) => this.settle(call, 'resolved', v, check, then, expectFailure),
        (e) => this.settle(call, 'rejected', e, check, then, expectFailure),
      );
      if (abortPlan === 'sync') abort();
      else if (abortPlan === 'micro') void this.wait({ kind: 'micro', n: rng.range(1, 6) })?.then(abort);
      else if (abortPlan === 'turns') this.clock.after(rng.range(1, 20), abort);
    } else {
      this.settle(call, 'resolved', r, check, then, expectFailure);
    }
    return call;
  }

  settle(call, state, value, check, then, expectFailure) {
    call.state = state;
    call.value = value;
    call.settledAt = this.clock.turn;
    if (state === 'resolved') {
      this.note(`${call.label}#${call.id} resolved`);
      if (check) {
        let why;
        try {
          why = check(value);
        } catch (e) {
          why = `check threw: ${e?.message}`;
        }
        if (why) this.fail('wrong-result', `${call.label}#${call.id}: ${why}`);
      }
      if (then) this.track(`${call.label}#${call.id} continuation`, then(value));
      return;
    }
    const kind = this.classify(value);
    call.outcome = kind;
    this.note(`${call.label}#${call.id} rejected: ${kind} ${String(value?.message ?? value).slice(0, 120)}`);
    if (kind === 'trap' || kind === 'core-trap' || kind === 'host-error') this.trapped = true;
    if (kind === 'bad') {
      this.fail('bad-error', `${call.label}#${call.id} failed with ${value?.name ?? typeof value}: ${value?.message ?? value}\n${value?.stack ?? ''}`);
    } else if (kind === 'cancelled' && value !== call.abortReason) {
      // Cancelled with another call's reason: the reasons got crossed.
      this.fail('bad-error', `${call.label}#${call.id} rejected with the abort reason of another call`);
    } else if (expectFailure === false && kind === 'component-error') {
      this.fail('bad-error', `${call.label}#${call.id}: unexpected ComponentError`);
    }
  }

  /** What a rejection is, by the documented error classes (docs/js-api.md "Errors"). */
  classify(e) {
    if (e instanceof WebAssembly.RuntimeError) return e.name === 'Trap' ? 'trap' : 'core-trap';
    if (e !== null && typeof e === 'object' && this.hostErrors.has(e)) return 'host-error';
    if (e !== null && typeof e === 'object' && this.abortReasons.has(e)) return 'cancelled';
    if (e?.name === 'ComponentError') return 'component-error';
    if (e instanceof Error && e.constructor === Error && e.message === 'the future was dropped without a value') return 'future-dropped';
    return 'bad';
  }

  /**
   * A source for a `stream<T>` parameter: `chunks` handed out with random delays, as a
   * ReadableStream, an async iterable, a sync iterable (array) or a generator. With
   * `errorAt`, the source fails after that many chunks (a host source erroring).
   */
  source(label, chunks, { errorAt = -1 } = {}) {
    const rng = this.rng.fork();
    const kind = rng.weighted([
      [3, 'readable'],
      [3, 'async-gen'],
      [1, 'array'],
    ]);
    const run = this;
    const delays = chunks.map(() => randomDelay(rng, 4));
    this.note(`${label}: source ${kind} of ${chunks.length} chunks${errorAt >= 0 ? `, error at ${errorAt}` : ''}`);
    if (kind === 'array' && errorAt < 0) return chunks.slice();
    if (kind === 'readable') {
      let i = 0;
      return new ReadableStream({
        async pull(controller) {
          await run.wait(delays[i] ?? { kind: 'now' });
          if (i === errorAt) {
            controller.error(run.hostError(`${label} source failed`));
            return;
          }
          if (i < chunks.length) controller.enqueue(chunks[i++]);
          else controller.close();
        },
      });
    }
    return (async function* () {
      for (let i = 0; i < chunks.length; i++) {
        await run.wait(delays[i]);
        if (i === errorAt) throw run.hostError(`${label} source failed`);
        yield chunks[i];
      }
      if (errorAt >= chunks.length) throw run.hostError(`${label} source failed at the end`);
    })();
  }

  /**
   * Reads a ReadableStream the guest writes, as `policy` says: everything, `n` chunks
   * then cancel, or cancel at once; with random delays between reads. Gives up (and
   * cancels) when the run sweeps. Resolves to `{ chunks, done }`.
   */
  async consume(label, stream, policy) {
    const rng = this.rng.fork();
    const chunks = [];
    if (!(stream instanceof ReadableStream)) {
      this.fail('wrong-result', `${label}: expected a ReadableStream, got ${String(stream)}`);
      return { chunks, done: false };
    }
    const reader = stream.getReader();
    const limit = policy.kind === 'all' ? Infinity : policy.kind === 'cancel' ? 0 : policy.n;
    this.note(`${label}: consume ${policy.kind}${policy.n !== undefined ? ` ${policy.n}` : ''}`);
    let done = false;
    try {
      while (chunks.length < limit) {
        await this.wait(randomDelay(rng, 3));
        const r = await Promise.race([reader.read(), this.sweep.then(() => 'sweep')]);
        if (r === 'sweep') {
          this.note(`${label}: read still pending at the sweep`);
          this.fail(
            'stream-hang',
            `${label}: a read was still pending when every other activity had ended${this.trapped ? ' (after a trap)' : ''}`,
          );
          break;
        }
        if (r.done) {
          done = true;
          break;
        }
        chunks.push(r.value);
      }
    } catch (e) {
      const kind = this.classify(e);
      if (kind === 'bad') this.fail('bad-error', `${label}: a read failed with ${e?.name}: ${e?.message}`);
      return { chunks, done: false };
    }
    if (!done) {
      this.note(`${label}: cancel after ${chunks.length} chunks`);
      // The pending read (if any) settles when the cancel completes.
      await reader.cancel().catch((e) => {
        if (this.classify(e) === 'bad') this.fail('bad-error', `${label}: cancel failed with ${e?.name}: ${e?.message}`);
      });
    }
    return { chunks, done };
  }

  /**
   * Ends the run: lets it go on until every call settled and every activity ended
   * (bounded), aborts what is left (the sweep), then checks that nothing is pending and,
   * in a world without a trap, that nothing leaked.
   * @param {{ instances: any[], strict: boolean }} scope
   */
  async finish(scope) {
    // Turns without any event of the run (no call made or settled, no host activity):
    // what is left cannot be waiting for the driver.
    const limit = this.long ? 20000 : 3000;
    const settled = () => this.clock.count === 0 && this.tasks.size === 0 && this.calls.every((c) => c.state !== 'pending');
    // Settled on three turns in a row: a chain of microtasks (a source resuming after
    // its delay, then sleeping again) can look settled halfway through a turn.
    const idleFor = async (max) => {
      let seen = this.progress;
      let idle = 0;
      let calm = 0;
      while (idle < max) {
        calm = settled() ? calm + 1 : 0;
        if (calm >= 3) return;
        await this.clock.step();
        if (this.progress !== seen || this.clock.count > 0 || this.world.busy > 0) {
          seen = this.progress;
          idle = 0;
        } else {
          idle++;
        }
      }
    };
    await idleFor(limit);
    if (!settled()) {
      this.note('sweep');
      this.startSweep();
      for (const c of this.calls) if (c.state === 'pending') c.abort?.();
      await idleFor(2000);
    } else {
      this.startSweep();
    }
    // Let late events (a task running on after its call returned) finish.
    for (let i = 0; i < 3; i++) await this.clock.step();
    // A trap no call was waiting for is only reported (to the console): an instance
    // that died (`dead`, where the runtime has it) trapped as well.
    if (scope.instances.some((inst) => inst.dead === true)) this.trapped = true;
    for (const [label, fn] of this.deferred) {
      const why = fn(this.trapped);
      if (why) this.fail('wrong-result', `${label}: ${why}`);
    }
    const pending = this.calls.filter((c) => c.state === 'pending');
    if (pending.length) {
      const { idle, stranded } = this.world.idle();
      const s = this.world.sched;
      this.fail(
        'pending',
        `${pending.map((c) => `${c.label}#${c.id}${c.abortReason ? ' (aborted)' : ''}`).join(', ')} still pending ` +
          `(scheduler ${idle ? 'idle' : 'busy'}, ${s.waiting.length} waiting [${describeWaiting(s.waiting)}], ${s.roots.size} roots, hostPending ${s.hostPending}` +
          `${stranded.length ? `, ${stranded.length} ready but not scheduled` : ''})`,
      );
    }
    if (this.tasks.size && !pending.length) {
      // (With a call pending, the activities waiting for it are its consequence.)
      this.fail('pending', `driver activities never ended: ${[...this.taskLabels.values()].join(', ')}`);
    }
    if (pending.length || this.trapped || this.tasks.size) {
      if (this.trapped) this.world.dirty = true;
      return;
    }
    // Quiesce: spawned tasks may run on after their call returned.
    let quiet = false;
    for (let i = 0; i < 400 && !quiet; i++) {
      const { idle } = this.world.idle();
      quiet = idle && this.clock.count === 0 && (!scope.strict || this.world.sched.waiting.length === 0);
      if (!quiet) await this.clock.step();
    }
    const { stranded } = this.world.idle();
    if (stranded.length) this.fail('stranded', `${stranded.length} waiting threads are ready and no tick is queued`);
    const leaks = this.world.leaks(scope.instances, { strict: scope.strict });
    if (leaks.length) this.fail('leak', leaks.join('; '));
  }
}

/** One export call. */
export class Call {
  constructor(id, label) {
    this.id = id;
    this.label = label;
    /** @type {'pending' | 'resolved' | 'rejected'} */
    this.state = 'pending';
    this.value = undefined;
    this.outcome = null;
    this.promise = null;
    this.controller = null;
    this.abortReason = null;
    this.abort = null;
  }
}
