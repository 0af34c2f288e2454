// The component's exports, ready to call: `weft transpile` wrote greeter/greeter.js.
import { greet, topWords, parseColor } from './greeter/greeter.js';

const $ = (selector) => document.querySelector(selector);

// greet: a string in, a string out.
function showGreeting() {
  $('#greeting').textContent = greet($('#name').value);
}

// topWords: a list of records, an array of { word, count } objects.
function showWords() {
  const rows = topWords($('#text').value, 4).map(({ word, count }) => {
    const row = document.createElement('tr');
    row.append(cell(word), cell(count));
    return row;
  });
  $('#words').replaceChildren(...rows);
}

// parseColor: a result; `ok` is returned ({ r, g, b }), `err` is thrown.
function showColors() {
  const items = $('#colors').value.split(/\s+/).filter(Boolean).map((text) => {
    const item = document.createElement('li');
    try {
      const { r, g, b } = parseColor(text);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = `rgb(${r} ${g} ${b})`;
      item.append(swatch, `${text} → { r: ${r}, g: ${g}, b: ${b} }`);
    } catch (error) {
      item.className = 'error';
      item.textContent = `${text} → ${error.name}: ${error.message}`;
    }
    return item;
  });
  $('#parsed').replaceChildren(...items);
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

$('#name').addEventListener('input', showGreeting);
$('#text').addEventListener('input', showWords);
$('#colors').addEventListener('input', showColors);
showGreeting();
showWords();
showColors();
