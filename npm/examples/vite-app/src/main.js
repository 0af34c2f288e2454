// Named imports: the component's exports, instantiated when this module loads.
// The default import: `instantiate(imports)`, for more, independent instances.
// `?instantiate`: only that function; nothing is instantiated on import.
import instantiate, { add, greet, sum } from './hello.wasm';
import instantiateOnly from './hello.wasm?instantiate';

const lines = [
  `add(2, 40) = ${add(2, 40)}`,
  `greet("weft") = ${JSON.stringify(greet('weft'))}`,
  `sum([1, 2, 3, 4294967295]) = ${sum([1, 2, 3, 4294967295])}`,
];
const second = await instantiate({});
lines.push(`a second instance: add(1, 2) = ${second.add(1, 2)}`);
const third = await instantiateOnly();
lines.push(`?instantiate: greet("again") = ${JSON.stringify(third.greet('again'))}`);

document.querySelector('#out').textContent = lines.join('\n');
// For web-tests/suites/vite-app.js.
window.weftLines = lines;
