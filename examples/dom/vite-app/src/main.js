// The component (examples/dom/todo, built by ../build.sh into src/todo.wasm) does all
// the work: `run()` wires up the page and handles its events, and never returns.
import { run } from './todo.wasm';

run();
