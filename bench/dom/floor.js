// The floor of the DOM benchmark: js-framework-benchmark's keyed table (its vanillajs
// implementation) in plain JS, the same logic as the guests' (tests/guests/
// dom-bench-core/src/lib.rs), making the same DOM calls in the same order: the rows
// are cloned from a template, filled with `textContent` and appended one by one.

const ADJECTIVES = ['pretty', 'large', 'big', 'small', 'tall', 'short', 'long', 'handsome', 'plain', 'quaint', 'clean', 'elegant', 'easy', 'angry', 'crazy', 'helpful', 'mushy', 'odd', 'unsightly', 'adorable', 'important', 'inexpensive', 'cheap', 'expensive', 'fancy'];
const COLOURS = ['red', 'yellow', 'blue', 'green', 'pink', 'brown', 'purple', 'brown', 'white', 'black', 'orange'];
const NOUNS = ['table', 'chair', 'house', 'bbq', 'desk', 'car', 'pony', 'cookie', 'sandwich', 'burger', 'pizza', 'mouse', 'keyboard'];

export class App {
  constructor(document) {
    this.document = document;
    this.tbody = null;
    this.template = null;
    this.rows = []; // { id, label, tr, a }
    this.selected = undefined;
    this.nextId = 1;
    this.seed = 0x2545f491;
  }

  /** xorshift32, as the guests'. */
  random(n) {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed % n;
  }

  init() {
    if (this.tbody) return;
    const d = this.document;
    this.tbody = d.getElementById('tbody');
    const tr = d.createElement('tr');
    const td1 = d.createElement('td');
    td1.className = 'col-md-1';
    tr.appendChild(td1);
    const td2 = d.createElement('td');
    td2.className = 'col-md-4';
    const a2 = d.createElement('a');
    td2.appendChild(a2);
    tr.appendChild(td2);
    const td3 = d.createElement('td');
    td3.className = 'col-md-1';
    const a3 = d.createElement('a');
    const span = d.createElement('span');
    span.className = 'glyphicon glyphicon-remove';
    span.setAttribute('aria-hidden', 'true');
    a3.appendChild(span);
    td3.appendChild(a3);
    tr.appendChild(td3);
    const td4 = d.createElement('td');
    td4.className = 'col-md-6';
    tr.appendChild(td4);
    this.template = tr;
  }

  appendRows(n) {
    this.init();
    const { tbody, template, rows } = this;
    for (let i = 0; i < n; i++) {
      const label = `${ADJECTIVES[this.random(ADJECTIVES.length)]} ${COLOURS[this.random(COLOURS.length)]} ${NOUNS[this.random(NOUNS.length)]}`;
      const id = this.nextId++;
      const tr = template.cloneNode(true);
      const td1 = tr.firstChild;
      const td2 = td1.nextSibling;
      const a = td2.firstChild;
      td1.textContent = String(id);
      a.textContent = label;
      tbody.appendChild(tr);
      rows.push({ id, label, tr, a });
    }
  }

  removeAll() {
    this.init();
    this.tbody.textContent = '';
    this.rows = [];
    this.selected = undefined;
  }

  run() {
    this.removeAll();
    this.appendRows(1000);
  }

  runLots() {
    this.removeAll();
    this.appendRows(10_000);
  }

  add() {
    this.appendRows(1000);
  }

  update() {
    const rows = this.rows;
    for (let i = 0; i < rows.length; i += 10) {
      const row = rows[i];
      row.label += ' !!!';
      row.a.textContent = row.label;
    }
  }

  clear() {
    this.removeAll();
  }

  swapRows() {
    const rows = this.rows;
    if (rows.length <= 998) return;
    this.tbody.insertBefore(rows[998].tr, rows[2].tr);
    this.tbody.insertBefore(rows[1].tr, rows[999].tr);
    const t = rows[1];
    rows[1] = rows[998];
    rows[998] = t;
  }

  select(id) {
    if (this.selected !== undefined) {
      const old = this.rows.find((r) => r.id === this.selected);
      if (old) old.tr.className = '';
      this.selected = undefined;
    }
    const row = this.rows.find((r) => r.id === id);
    if (row) {
      row.tr.className = 'danger';
      this.selected = id;
    }
  }

  remove(id) {
    const i = this.rows.findIndex((r) => r.id === id);
    if (i < 0) return;
    const [row] = this.rows.splice(i, 1);
    this.tbody.removeChild(row.tr);
    if (this.selected === id) this.selected = undefined;
  }
}
