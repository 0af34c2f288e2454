// Runs the page's transpiled `wasi:cli` program (its URL: the `?out=` parameter, e.g.
// /out/importmap-esm/hello.js), its console.log lines collected into `window.weftLines`
// with the exit code (`exit 0`) or what it threw as the last line. Loaded by the pages
// beside it after their import maps, and imports the program dynamically so that
// console.log is replaced first.
const lines = [];
const log = console.log;
console.log = (...args) => {
  lines.push(args.join(' '));
  log(...args);
};
try {
  const { run } = await import(new URLSearchParams(location.search).get('out'));
  run.run();
  lines.push('exit 0');
} catch (e) {
  lines.push(e?.code !== undefined ? `exit ${e.code}` : `threw ${e?.stack ?? e}`);
}
document.querySelector('#out').textContent = lines.join('\n');
window.weftLines = lines;
