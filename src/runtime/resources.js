// Resource handles, mirroring the spec: `lift_own`, `lift_borrow`, `lower_own`,
// `lower_borrow` and `canon resource.new/rep/drop`, with the borrow bookkeeping of one
// synchronous call. A `CallContext` plays both of the spec's borrow scopes for that
// call: the caller's Subtask (`lenders`: handles lent by `lift_borrow`, released when
// the call ends) and the callee's Task (`borrows`: the spec's `num_borrows`, which must
// be back to 0 when the callee returns).
//
// The checks run in the spec's order, but before the handle is removed (the spec
// removes first); the trap conditions are the same and a table stays consistent after
// a trap.
import { trap } from './trap.js';

/** A runtime resource type (`ResourceType` of the spec): one per defining instance. */
export class ResourceType {
  /**
   * @param {string} name for messages
   * @param {((rep: number) => void) | null} dtor
   * @param {number} instance the defining component instance (`rt.impl`), -1 for the host
   */
  constructor(name, dtor, instance) {
    this.name = name;
    this.dtor = dtor;
    this.instance = instance;
  }
}

/** A handle table entry (`ResourceHandle` of the spec). */
export class Handle {
  /**
   * @param {ResourceType} type @param {number} rep @param {boolean} own
   * @param {CallContext | null} scope the call that lowered this borrow (`borrow_scope`)
   */
  constructor(type, rep, own, scope) {
    this.type = type;
    this.rep = rep;
    this.own = own;
    this.scope = scope;
    /** Borrows of this handle in calls not yet ended (`num_lends`). */
    this.lendCount = 0;
  }
}

/** The borrow bookkeeping of one call. */
export class CallContext {
  /**
   * @param {number} core the call's scope in a lowered module's core tables (`--lowered`), else 0
   * @param {CoreScopes | null} scopes that module's scope functions, where the runtime ends
   *   the scope (an async component's tasks), else null
   */
  constructor(core = 0, scopes = null) {
    this.core = core;
    this.scopes = scopes;
    /** Borrow handles lowered into the callee and not yet dropped (`num_borrows`). */
    this.borrows = 0;
    /** Handles lent for the call by `liftBorrow` (`lenders`). @type {Handle[]} */
    this.lenders = [];
    /** Host objects lent for the call, as (HostReps, rep) pairs (wrappers.js). @type {unknown[]} */
    this.hostLends = [];
  }
}

/**
 * A lowered module's functions of borrow scopes the runtime ends itself: the borrow
 * handles a scope still counts (`weft:scope-borrows`) and the end of its lends, which
 * closes it (`weft:release-lends`).
 * @typedef {{ borrows: (scope: number) => number, release: (scope: number) => void }} CoreScopes
 */

/**
 * Whether the callee of a call still holds borrow handles (`Task.return_` traps then).
 * @param {CallContext} cx
 */
export function borrowsRemain(cx) {
  return cx.scopes !== null ? cx.scopes.borrows(cx.core) !== 0 : cx.borrows !== 0;
}

/**
 * Ends the lends of a call (`Subtask.deliver_resolve`), its borrows unchecked: the
 * callee's task checked them when it returned.
 * @param {CallContext} cx
 */
export function releaseLends(cx) {
  if (cx.scopes !== null) cx.scopes.release(cx.core);
  const borrows = cx.borrows;
  cx.borrows = 0;
  endCall(cx);
  cx.borrows = borrows;
}

/**
 * Ends a call: traps if the callee still holds borrow handles (`Task.return_`), then
 * releases every lent handle (`Subtask.deliver_resolve`) and lent host object.
 * @param {CallContext} cx
 */
export function endCall(cx) {
  if (cx.borrows !== 0) trap('borrow handles still remain at the end of the call');
  for (const h of cx.lenders) h.lendCount--;
  cx.lenders.length = 0;
  const lends = cx.hostLends;
  for (let i = 0; i < lends.length; i += 2) lends[i].take(lends[i + 1]);
  lends.length = 0;
}

/** `trap_if(not isinstance(h, ResourceHandle))`, `trap_if(h.rt is not rt)`. */
function resourceHandleCheck(h, type, i) {
  if (!(h instanceof Handle)) trap(`handle index ${i} does not refer to a resource`);
  if (h.type !== type) trap(`handle is not a \`${type.name}\` (index ${i} holds a \`${h.type.name}\`)`);
}

/**
 * `lift_own`: moves the owned handle `i` out of `table`, returning its rep.
 * @param {import('./handles.js').HandleTable} table @param {number} i @param {ResourceType} type
 * @returns {number}
 */
export function liftOwn(table, i, type) {
  const h = table.get(i);
  resourceHandleCheck(h, type, i);
  if (h.lendCount !== 0) trap('cannot move a handle that is lent out');
  if (!h.own) trap('expected an owned handle, got a borrowed one');
  table.remove(i);
  return h.rep;
}

/**
 * `lift_borrow`: the rep of handle `i` (own or borrow), lent until `endCall(cx)`.
 * @param {import('./handles.js').HandleTable} table @param {number} i @param {ResourceType} type
 * @param {CallContext} cx
 * @returns {number}
 */
export function liftBorrow(table, i, type, cx) {
  const h = table.get(i);
  resourceHandleCheck(h, type, i);
  h.lendCount++;
  cx.lenders.push(h);
  return h.rep;
}

/**
 * `lower_own`: a new owned handle for `rep`.
 * @param {import('./handles.js').HandleTable} table @param {number} rep @param {ResourceType} type
 * @returns {number} the handle index
 */
export function lowerOwn(table, rep, type) {
  return table.add(new Handle(type, rep, true, null));
}

/**
 * `lower_borrow`: a borrow handle scoped to the call, except that a borrow passed to
 * the instance that defines the resource arrives as the rep itself.
 * @param {import('./handles.js').HandleTable} table @param {number} rep @param {ResourceType} type
 * @param {CallContext} cx @param {number} instance the receiving component instance
 * @returns {number} the handle index, or `rep`
 */
export function lowerBorrow(table, rep, type, cx, instance) {
  if (type.instance === instance) return rep;
  cx.borrows++;
  return table.add(new Handle(type, rep, false, cx));
}

/**
 * `canon resource.new`.
 * @param {import('./handles.js').HandleTable} table @param {ResourceType} type @param {number} rep
 * @returns {number}
 */
export function resourceNew(table, type, rep) {
  return table.add(new Handle(type, rep, true, null));
}

/**
 * `canon resource.rep`.
 * @param {import('./handles.js').HandleTable} table @param {ResourceType} type @param {number} i
 * @returns {number}
 */
export function resourceRep(table, type, i) {
  const h = table.get(i);
  resourceHandleCheck(h, type, i);
  return h.rep;
}

/**
 * `canon resource.drop`: traps if the handle is lent out; an owned handle runs the
 * destructor (if any), a borrow ends (its call's `borrows` is decremented).
 * @param {import('./handles.js').HandleTable} table @param {ResourceType} type @param {number} i
 * @param {number} instance the dropping component instance (unused: this spec version
 *   has no re-entrance check on the destructor call)
 */
export function resourceDrop(table, type, i, instance) {
  const h = table.get(i);
  resourceHandleCheck(h, type, i);
  if (h.lendCount !== 0) trap('cannot drop a handle that is lent out');
  table.remove(i);
  if (h.own) {
    if (type.dtor) type.dtor(h.rep);
  } else {
    h.scope.borrows--;
  }
  void instance;
}
