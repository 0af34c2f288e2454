// examples/dom: the todo list whose DOM work is all in a Rust component (`webidl:`
// imports bound to the DOM by the weft plugin), as examples/dom/build.sh built it
// (`vite build`, base ./), in an iframe. The tests use it as a person would, with real
// events: typing is setting the input's value and dispatching a `keydown` (a
// KeyboardEvent of the iframe's realm, so that the component's `as-keyboard-event` cast,
// an `instanceof`, holds), clicks are `.click()`. The component handles events
// asynchronously (its `on*` streams), so each check waits for the DOM to settle.
import { assert } from '../lib/assert.js';
import { params, test } from '../lib/test.js';

const app = params.get('app') ?? '/examples/dom/vite-app/dist/';

const frame = document.createElement('iframe');
frame.src = new URL('index.html', new URL(app, location.href)).href;
frame.style.width = '600px';
frame.style.height = '500px';
const loaded = new Promise((ok) => frame.addEventListener('load', ok, { once: true }));
document.body.append(frame);
await loaded;

const win = frame.contentWindow;
const doc = frame.contentDocument;
const $ = (selector) => doc.querySelector(selector);

/** Waits until `check()` is truthy (and returns it); fails with `what` and the page's state. */
async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the page: ${state()}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/** Lets the component handle what is queued: a few macrotasks. */
async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((ok) => setTimeout(ok, 10));
}

/** The list as `[text, done]` pairs. */
const items = () => [...doc.querySelectorAll('#list > li')].map((li) => [li.querySelector('.text')?.textContent, li.classList.contains('done')]);
const count = () => $('#count').textContent;
const state = () => JSON.stringify({ items: items(), count: count(), input: $('#new-todo').value, disabled: $('#add').disabled });

/** Types `text` into the input and presses `key` there. */
function type(text, key = 'Enter') {
  const input = $('#new-todo');
  input.value = text;
  input.dispatchEvent(new win.InputEvent('input', { bubbles: true }));
  input.dispatchEvent(new win.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

test('the component enables the controls and shows an empty list', async () => {
  await until(() => !$('#add').disabled && !$('#new-todo').disabled, 'the component to enable #add and #new-todo');
  assert.deepEqual(items(), []);
  await until(() => count() === '0 items left', '"0 items left"');
  assert.equal(doc.activeElement, $('#new-todo'));
});

test('Enter in the input appends an item (li > span.text + button.remove) and empties the input', async () => {
  type('Buy milk');
  await until(() => items().length === 1, 'one item');
  assert.deepEqual(items(), [['Buy milk', false]]);
  const li = $('#list > li');
  assert.equal(li.className, 'item');
  assert.deepEqual([...li.children].map((e) => `${e.localName}.${e.className}`), ['span.text', 'button.remove']);
  const remove = li.querySelector('.remove');
  assert.equal(remove.textContent, '×');
  assert.equal(remove.type, 'button');
  assert.equal(remove.getAttribute('aria-label'), 'Remove');
  assert.equal($('#new-todo').value, '');
  assert.equal(count(), '1 item left');
});

test('a click on Add appends an item; text is trimmed', async () => {
  $('#new-todo').value = '  Write the report ';
  $('#add').click();
  await until(() => items().length === 2, 'two items');
  assert.deepEqual(items(), [['Buy milk', false], ['Write the report', false]]);
  assert.equal($('#new-todo').value, '');
  assert.equal(count(), '2 items left');
  type('Water the plants');
  await until(() => items().length === 3, 'three items');
  assert.deepEqual(items().map(([t]) => t), ['Buy milk', 'Write the report', 'Water the plants']);
  assert.equal(count(), '3 items left');
});

test('other keys, and Enter or Add with blank text, add nothing', async () => {
  type('not yet', 'a');
  await settle();
  assert.equal(items().length, 3);
  assert.equal($('#new-todo').value, 'not yet', 'a key other than Enter leaves the input as it is');
  type('   ');
  $('#add').click();
  await settle();
  assert.equal(items().length, 3);
  assert.equal(count(), '3 items left');
  $('#new-todo').value = '';
});

test("a click on an item's text toggles its class done, and the count follows", async () => {
  const text = () => doc.querySelectorAll('#list .text')[1];
  text().click();
  await until(() => items()[1][1], 'item 2 done');
  assert.deepEqual(items(), [['Buy milk', false], ['Write the report', true], ['Water the plants', false]]);
  assert.equal(count(), '2 items left');
  text().click();
  await until(() => !items()[1][1], 'item 2 not done');
  assert.equal(count(), '3 items left');
  text().click();
  await until(() => items()[1][1], 'item 2 done again');
  assert.equal(count(), '2 items left');
});

test('a click on the list outside any item does nothing', async () => {
  $('#list').click();
  await settle();
  assert.deepEqual(items(), [['Buy milk', false], ['Write the report', true], ['Water the plants', false]]);
});

test("a click on an item's × removes it", async () => {
  doc.querySelectorAll('#list .remove')[0].click();
  await until(() => items().length === 2, 'two items');
  assert.deepEqual(items(), [['Write the report', true], ['Water the plants', false]]);
  assert.equal(count(), '1 item left');
  // Removing the done one leaves the count.
  doc.querySelectorAll('#list .remove')[0].click();
  await until(() => items().length === 1, 'one item');
  assert.deepEqual(items(), [['Water the plants', false]]);
  assert.equal(count(), '1 item left');
});

test('the last item removed, the list is empty and new items still come', async () => {
  $('#list .remove').click();
  await until(() => items().length === 0, 'no items');
  assert.equal(count(), '0 items left');
  type('Again');
  await until(() => items().length === 1, 'one item');
  assert.deepEqual(items(), [['Again', false]]);
  assert.equal(count(), '1 item left');
});
