// Runs a transpiled component: in a fresh run-worker.js per run (stdout and stderr into
// the terminal as the guest writes them; Stop terminates the worker), or, for a
// component that uses the DOM, in the sandboxed frame (dom-frame.js builds its page).
import { framePage } from './dom-frame.js';

export class Runner {
  constructor({ terminal, frame, status, onStop }) {
    Object.assign(this, { terminal, frame, status, onStop });
    this.worker = null;
    this.calls = new Map();
    this.next = 0;
    this.exited = Promise.resolve(null);
  }

  /** Empties the terminal; `status` says what happens next. */
  clear(status = '') {
    this.terminal.replaceChildren();
    this.status.textContent = status;
  }

  /** Starts a run; resolves to true once the component is instantiated. */
  async start(msg) {
    this.stop();
    this.terminal.replaceChildren();
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    if (msg.kind === 'dom') return this.startFrame(msg);
    this.status.textContent = 'instantiating…';
    const worker = new Worker(new URL('./run-worker.js', import.meta.url), { type: 'module' });
    this.worker = worker;
    let exit;
    this.exited = new Promise((resolve) => (exit = resolve));
    this.exit = exit;
    const ready = new Promise((resolve) => {
      worker.onmessage = ({ data }) => this.onMessage(data, resolve);
      worker.onerror = (e) => {
        e.preventDefault();
        this.note(`the run's worker failed: ${e.message}`, 'stderr');
        this.finish('failed');
        resolve(false);
      };
    });
    const { files, ...rest } = msg;
    worker.postMessage({ type: 'start', files: Object.entries(files), ...rest });
    this.t0 = performance.now();
    return ready;
  }

  onMessage(data, ready) {
    switch (data.type) {
      case 'ready':
        this.status.textContent = data.jspi ? 'running' : 'running (no JSPI)';
        ready(true);
        break;
      case 'out':
        this.write(this.decoders[data.stream].decode(data.bytes, { stream: true }), data.stream);
        break;
      case 'trace':
        this.onTrace?.(data.line);
        break;
      case 'exit':
        this.note(`exit code ${data.code} · ${(performance.now() - this.t0).toFixed(0)} ms`, data.code === 0 ? 'ok' : 'stderr');
        this.finish(`exited with ${data.code}`, { code: data.code, tree: data.tree });
        break;
      case 'failed':
        if (data.id !== undefined && this.calls.has(data.id)) {
          const c = this.calls.get(data.id);
          this.calls.delete(data.id);
          c.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
          break;
        }
        this.note(`${data.error.name}: ${data.error.message}`, 'stderr');
        this.finish(data.error.trap ? 'trapped' : 'failed');
        ready(false);
        break;
      case 'settled': {
        const c = this.calls.get(data.id);
        if (data.uncloneable) c.sink.uncloneable(data.uncloneable);
        else if (data.outcome === 'ok') c.sink.ok(data.value);
        else if (data.outcome === 'err') c.sink.err(data.value);
        else {
          c.sink.trap(data.error);
          this.note(`${data.error.name}: ${data.error.message}`, 'stderr');
        }
        if (!(data.outcome === 'ok' && (data.value?.stream || data.value?.future))) this.settle(data.id);
        break;
      }
      case 'item':
        this.calls.get(data.id)?.sink.item(data.value);
        break;
      case 'end':
        this.calls.get(data.id)?.sink.end(data.error);
        this.settle(data.id);
        break;
      case 'response':
        this.settle(data.id, data);
        break;
    }
  }

  settle(id, value) {
    const c = this.calls.get(id);
    this.calls.delete(id);
    c?.resolve(value);
  }

  /** Calls an export of the running library; `sink` gets the outcome. */
  call(fn, args, sink) {
    if (!this.worker) return Promise.reject(new Error('not running: press ▶ Run'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, sink });
      this.worker.postMessage({ type: 'call', id, iface: fn.interface, js: fn.js, args });
    });
  }

  /** Sends a request to the running http handler; resolves to { status, headers, body }. */
  request(rq) {
    if (!this.worker) return Promise.reject(new Error('not running: press ▶ Run'));
    const id = this.next++;
    this.note(`${rq.method} ${new URL(rq.url).pathname}${new URL(rq.url).search}`);
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve: (r) => (this.note(`→ ${r.status}`, r.status < 400 ? 'ok' : 'stderr'), resolve(r)), reject });
      this.worker.postMessage({ type: 'request', id, ...rq });
    });
  }

  async startFrame(msg) {
    const html = msg.html ? await (await fetch(new URL(`examples/${msg.html}`, document.baseURI))).text() : '<!doctype html><body></body>';
    this.frame.srcdoc = framePage(html);
    this.frameRunning = true;
    await new Promise((resolve) => (this.frame.onload = resolve));
    const answer = new Promise((resolve) => {
      this.onFrame = ({ source, data }) => {
        if (source !== this.frame.contentWindow || data?.weftPlayground === undefined) return;
        if (data.trace !== undefined) return void this.onTrace?.(data.trace);
        this.status.textContent = data.error ? `failed: ${data.error}` : 'running in the frame';
        resolve(!data.error);
      };
      window.addEventListener('message', this.onFrame);
    });
    this.frame.contentWindow.postMessage({ files: msg.files, main: msg.main, jspi: msg.jspi, record: msg.record }, '*');
    this.status.textContent = 'instantiating…';
    return answer;
  }

  write(text, stream) {
    const atEnd = this.terminal.scrollTop + this.terminal.clientHeight >= this.terminal.scrollHeight - 4;
    if (stream === 'stderr') this.terminal.append(Object.assign(document.createElement('span'), { className: 'stderr', textContent: text }));
    else this.terminal.append(text);
    if (atEnd) this.terminal.scrollTop = this.terminal.scrollHeight;
  }

  note(text, cls = 'note') {
    const last = this.terminal.lastChild?.textContent ?? '';
    if (last && !last.endsWith('\n')) this.terminal.append('\n');
    this.terminal.append(Object.assign(document.createElement('span'), { className: cls === 'note' ? 'note' : cls, textContent: `${text}\n` }));
    this.terminal.scrollTop = this.terminal.scrollHeight;
  }

  finish(status, exit = null) {
    this.status.textContent = status;
    this.worker?.terminate();
    this.worker = null;
    for (const c of this.calls.values()) c.reject(new Error(`the run ${status}`));
    this.calls.clear();
    this.exit?.(exit);
    this.exit = null;
    this.onStop?.();
  }

  /** Ends the run (the worker is terminated, the frame emptied). */
  stop(why) {
    if (this.onFrame) window.removeEventListener('message', this.onFrame);
    this.onFrame = null;
    if (this.frameRunning) {
      this.frameRunning = false;
      this.frame.srcdoc = '';
      this.status.textContent = why ?? 'stopped';
      this.onStop?.();
    }
    if (!this.worker) return;
    if (why) this.note(`${why} after ${(performance.now() - this.t0).toFixed(0)} ms`);
    this.finish(why ?? 'stopped');
  }
}
