// The hand-written JS imports of the `dom-bench-imports` guest (the interface
// `weft:dom-bench/dom`, tests/guests/dom-bench-imports/wit/world.wit): the DOM as a
// guest reaches it today without WebIDL bindings, through a table of handles (as
// wasm-bindgen's heap of `JsValue`s). A handle is an index into `objects`; `drop`
// frees it for reuse.

const objects = [undefined];
const free = [];

function add(object) {
  if (free.length > 0) {
    const h = free.pop();
    objects[h] = object;
    return h;
  }
  objects.push(object);
  return objects.length - 1;
}

export function getElementById(id) {
  return add(document.getElementById(id));
}
export function createElement(tag) {
  return add(document.createElement(tag));
}
export function setClassName(node, cls) {
  objects[node].className = cls;
}
export function setAttribute(node, name, value) {
  objects[node].setAttribute(name, value);
}
export function cloneNode(node, deep) {
  return add(objects[node].cloneNode(deep));
}
export function firstChild(node) {
  return add(objects[node].firstChild);
}
export function nextSibling(node) {
  return add(objects[node].nextSibling);
}
export function setTextContent(node, text) {
  objects[node].textContent = text;
}
export function appendChild(parent, child) {
  objects[parent].appendChild(objects[child]);
}
export function insertBefore(parent, node, before) {
  objects[parent].insertBefore(objects[node], objects[before]);
}
export function removeChild(parent, child) {
  objects[parent].removeChild(objects[child]);
}
export function drop(node) {
  objects[node] = undefined;
  free.push(node);
}
