// Resource handles: `lift_own`, `lift_borrow`, `lower_own`, `lower_borrow` and the
// `resource.new/rep/drop` built-ins of the spec, plus the per-call bookkeeping of
// borrows (a `CallContext` is the spec's task/subtask borrow scope for one sync call).
import { trap } from './trap.js';

/** A runtime resource type: one per defining component instance. */
export class ResourceType {
  /**
   * @param {string} name for messages
   * @param {((rep: number) => void) | null} dtor
   * @param {number} instance the defining component instance, -1 for the host
   */
  constructor(name, dtor, instance) {
    this.name = name;
    this.dtor = dtor;
    this.instance = instance;
  }
}

/** A handle table entry. */
export class Handle {
  /** @param {ResourceType} type @param {number} rep @param {boolean} own @param {CallContext | null} scope */
  constructor(type, rep, own, scope) {
    this.type = type;
    this.rep = rep;
    this.own = own;
    this.scope = scope;
    this.lendCount = 0;
  }
}

/** Borrow bookkeeping of one call. */
export class CallContext {
  constructor() {
    /** Borrow handles the callee still holds. */
    this.borrows = 0;
    /** Own handles of the caller lent for the call. @type {Handle[]} */
    this.lenders = [];
    /** Host objects lent for the call, as (HostReps, rep) pairs. @type {unknown[]} */
    this.hostLends = [];
  }
}

/** Ends a call: every borrow must be dropped; lent handles are released. @param {CallContext} cx */
export function endCall(cx) {
  if (cx.borrows !== 0) trap('borrow handles still remain at the end of the call');
  for (const h of cx.lenders) h.lendCount--;
  cx.lenders.length = 0;
  for (let i = 0; i < cx.hostLends.length; i += 2) cx.hostLends[i].take(cx.hostLends[i + 1]);
  cx.hostLends.length = 0;
}

function resourceHandleCheck(h, type) {
  if (!(h instanceof Handle)) trap('handle index does not refer to a resource');
  if (h.type !== type) trap('handle is not a `' + type.name + '`');
}

/** @param {import('./handles.js').HandleTable} table @param {number} i @param {ResourceType} type */
export function liftOwn(table, i, type) {
  // Checked before removal (the spec removes first; after a trap the table is dead
  // either way, but this keeps it consistent).
  const h = table.get(i);
  resourceHandleCheck(h, type);
  if (h.lendCount !== 0) trap('cannot move a handle that is lent out');
  if (!h.own) trap('expected an owned handle, got a borrowed one');
  table.remove(i);
  return h.rep;
}

/** @param {import('./handles.js').HandleTable} table @param {number} i @param {ResourceType} type @param {CallContext} cx */
export function liftBorrow(table, i, type, cx) {
  const h = table.get(i);
  resourceHandleCheck(h, type);
  h.lendCount++;
  cx.lenders.push(h);
  return h.rep;
}

/** @param {import('./handles.js').HandleTable} table @param {number} rep @param {ResourceType} type */
export function lowerOwn(table, rep, type) {
  return table.add(new Handle(type, rep, true, null));
}

/**
 * A borrow passed back to the instance that defines the resource arrives as the rep.
 * @param {import('./handles.js').HandleTable} table @param {number} rep @param {ResourceType} type
 * @param {CallContext} cx @param {number} instance the receiving component instance
 */
export function lowerBorrow(table, rep, type, cx, instance) {
  if (type.instance === instance) return rep;
  cx.borrows++;
  return table.add(new Handle(type, rep, false, cx));
}

/** `resource.new`. */
export function resourceNew(table, type, rep) {
  return table.add(new Handle(type, rep, true, null));
}

/** `resource.rep`. */
export function resourceRep(table, type, i) {
  const h = table.get(i);
  resourceHandleCheck(h, type);
  return h.rep;
}

/** `resource.drop`: an owned handle runs the destructor, a borrow ends. */
export function resourceDrop(table, type, i, instance) {
  const h = table.get(i);
  resourceHandleCheck(h, type);
  if (h.lendCount !== 0) trap('cannot drop a handle that is lent out');
  table.remove(i);
  if (h.own) {
    if (type.dtor) type.dtor(h.rep);
  } else {
    h.scope.borrows--;
  }
  void instance;
}
