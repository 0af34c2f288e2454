// `lineSink`: console output by lines, the browsers' default stdout and stderr in WASI 0.2 and 0.3.

/**
 * Line-buffered console output: decodes UTF-8 across writes (`TextDecoder` with
 * `stream: true`) and logs each complete line without its `\n`.
 * @param {(line: string) => void} log
 */
export function lineSink(log) {
  const decoder = new TextDecoder();
  let pending = '';
  return {
    sink(/** @type {Uint8Array} */ bytes) {
      pending += decoder.decode(bytes, { stream: true });
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        log(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      pending += decoder.decode();
      if (pending !== '') log(pending);
      pending = '';
    },
  };
}
