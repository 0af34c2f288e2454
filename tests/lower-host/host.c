/* A C host for the output of `weft lower tests/cases/adapter-moves.wat`: it includes the
 * header weft wrote (adapter-moves.h) and runs the module on wasmtime's C API, using
 * nothing but the header's names: the module's memory and realloc, the export names,
 * the hooks' trap codes and the import's module and name. Two composed components,
 * their fused adapter in core wasm: a string moved through it and back, invalid UTF-8
 * trapping through the `trap` hook with ADAPTER_MOVES_TRAP_INVALID_UTF8, the instance
 * then poisoned (the host sets the `poisoned` global) and refusing with
 * ADAPTER_MOVES_TRAP_POISONED, 17 parameters through memory.
 *
 *   host <dir>     (<dir>/adapter-moves.wasm)
 *
 * One line per check, then `c-host: N passed, M failed`; exit 1 on any failure.
 * scripts/test builds it with the machine's C compiler against wasmtime's C headers (the
 * crates.io package wasmtime-c-api-impl) and the library of its PyPI package. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasmtime.h>

#include "adapter-moves.h"

static int passed, failed;
/* The code the `trap` hook was last called with (-1: none). */
static int32_t last_trap = -1;

static void check(const char *label, int ok) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", label);
  if (ok)
    passed++;
  else
    failed++;
}

static void die(const char *what, wasmtime_error_t *error, wasm_trap_t *trap) {
  wasm_byte_vec_t message = {0, NULL};
  if (error != NULL)
    wasmtime_error_message(error, &message);
  else if (trap != NULL)
    wasm_trap_message(trap, &message);
  fprintf(stderr, "c-host: %s: %.*s\n", what, (int)message.size, message.data);
  exit(1);
}

/* The `trap` hook: a check of an adapter failed; the host raises the trap. */
static wasm_trap_t *trap_hook(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                              size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)nargs, (void)results, (void)nresults;
  last_trap = args[0].of.i32;
  const char *message = "a fused adapter's check failed";
  return wasmtime_trap_new(message, strlen(message));
}

/* The component's one import, `host-cb: func()`. */
static wasm_trap_t *host_cb(void *env, wasmtime_caller_t *caller, const wasmtime_val_t *args,
                            size_t nargs, wasmtime_val_t *results, size_t nresults) {
  (void)env, (void)caller, (void)args, (void)nargs, (void)results, (void)nresults;
  return NULL;
}

struct host {
  wasm_engine_t *engine;
  wasmtime_store_t *store;
  wasmtime_context_t *cx;
  wasmtime_instance_t instance;
  wasmtime_global_t poisoned;
};

static wasmtime_extern_t export_of(struct host *h, const char *name) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(h->cx, &h->instance, name, strlen(name), &item)) {
    fprintf(stderr, "c-host: no export %s\n", name);
    exit(1);
  }
  return item;
}

/* Calls export `name` with i32 arguments; returns 1 and its i32 result (if any) in `out`,
 * or 0 when it trapped (the host then poisons the instance, as docs/lower.md says). */
static int call(struct host *h, const char *name, const int32_t *args, size_t n, int32_t *out) {
  wasmtime_extern_t f = export_of(h, name);
  wasmtime_val_t params[17], result;
  for (size_t i = 0; i < n; i++) {
    params[i].kind = WASMTIME_I32;
    params[i].of.i32 = args[i];
  }
  wasm_trap_t *trap = NULL;
  wasmtime_error_t *error = wasmtime_func_call(h->cx, &f.of.func, params, n, &result, out ? 1 : 0, &trap);
  /* A trap: the wasm's own, or the one the `trap` hook raised (which wasmtime hands
   * back as an error). */
  if (error != NULL || trap != NULL) {
    if (error != NULL)
      wasmtime_error_delete(error);
    if (trap != NULL)
      wasm_trap_delete(trap);
    wasmtime_val_t one = {.kind = WASMTIME_I32, .of.i32 = 1};
    wasmtime_global_set(h->cx, &h->poisoned, &one);
    return 0;
  }
  if (out)
    *out = result.of.i32;
  return 1;
}

static uint8_t *memory(struct host *h) {
  wasmtime_extern_t m = export_of(h, ADAPTER_MOVES_MEMORY);
  return wasmtime_memory_data(h->cx, &m.of.memory);
}

/* A block of the module's memory from its realloc, holding `n` bytes of `data`. */
static int32_t alloc(struct host *h, const void *data, int32_t n, int32_t align) {
  int32_t args[4] = {0, 0, align, n}, p;
  if (!call(h, ADAPTER_MOVES_REALLOC, args, 4, &p)) {
    fprintf(stderr, "c-host: realloc trapped\n");
    exit(1);
  }
  memcpy(memory(h) + (uint32_t)p, data, (size_t)n);
  return p;
}

static void instantiate(struct host *h, const uint8_t *wasm, size_t len) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_multi_memory_set(config, true);
  h->engine = wasm_engine_new_with_config(config);
  h->store = wasmtime_store_new(h->engine, NULL, NULL);
  h->cx = wasmtime_store_context(h->store);
  wasmtime_module_t *module = NULL;
  wasmtime_error_t *error = wasmtime_module_new(h->engine, wasm, len, &module);
  if (error != NULL)
    die("compiling", error, NULL);
  wasmtime_linker_t *linker = wasmtime_linker_new(h->engine);
  wasm_functype_t *trap_ty =
      wasm_functype_new_3_0(wasm_valtype_new_i32(), wasm_valtype_new_i32(), wasm_valtype_new_i32());
  error = wasmtime_linker_define_func(linker, "weft", 4, "trap", 4, trap_ty, trap_hook, NULL, NULL);
  if (error != NULL)
    die("defining the trap hook", error, NULL);
  wasm_functype_t *cb_ty = wasm_functype_new_0_0();
  const char *module_name = ADAPTER_MOVES_IMPORT_8_MODULE, *field = ADAPTER_MOVES_IMPORT_8_NAME;
  error = wasmtime_linker_define_func(linker, module_name, strlen(module_name), field, strlen(field), cb_ty,
                                      host_cb, NULL, NULL);
  if (error != NULL)
    die("defining host-cb", error, NULL);
  wasm_globaltype_t *flag_ty = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_VAR);
  wasmtime_val_t zero = {.kind = WASMTIME_I32, .of.i32 = 0};
  error = wasmtime_global_new(h->cx, flag_ty, &zero, &h->poisoned);
  if (error != NULL)
    die("making the poisoned flag", error, NULL);
  wasmtime_extern_t flag = {.kind = WASMTIME_EXTERN_GLOBAL, .of.global = h->poisoned};
  error = wasmtime_linker_define(linker, h->cx, "weft", 4, "poisoned", 8, &flag);
  if (error != NULL)
    die("defining the poisoned flag", error, NULL);
  wasm_trap_t *trap = NULL;
  error = wasmtime_linker_instantiate(linker, h->cx, module, &h->instance, &trap);
  if (error != NULL || trap != NULL)
    die("instantiating", error, trap);
#ifdef ADAPTER_MOVES_INIT
  if (!call(h, ADAPTER_MOVES_INIT, NULL, 0, NULL)) {
    fprintf(stderr, "c-host: init trapped\n");
    exit(1);
  }
#endif
  wasm_functype_delete(trap_ty);
  wasm_functype_delete(cb_ty);
  wasm_globaltype_delete(flag_ty);
  wasmtime_linker_delete(linker);
  wasmtime_module_delete(module);
}

static void release(struct host *h) {
  wasmtime_store_delete(h->store);
  wasm_engine_delete(h->engine);
}

/* `probe(bytes) -> bytes` through the adapter: 1 and the bytes back in `out`, or 0 if
 * it trapped. */
static int probe(struct host *h, const char *bytes, int32_t n, char *out) {
  int32_t args[2] = {alloc(h, bytes, n, 1), n}, r;
  if (!call(h, ADAPTER_MOVES_EXPORT_PROBE, args, 2, &r))
    return 0;
  uint8_t *m = memory(h);
  int32_t ptr, len;
  memcpy(&ptr, m + (uint32_t)r, 4);
  memcpy(&len, m + (uint32_t)r + 4, 4);
  memcpy(out, m + (uint32_t)ptr, (size_t)len);
  out[len] = 0;
  return len == n;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host <dir>\n");
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/adapter-moves.wasm", argv[1]);
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    return 2;
  }
  fseek(file, 0, SEEK_END);
  long len = ftell(file);
  fseek(file, 0, SEEK_SET);
  uint8_t *wasm = malloc((size_t)len);
  if (fread(wasm, 1, (size_t)len, file) != (size_t)len)
    return 2;
  fclose(file);

  struct host h;
  instantiate(&h, wasm, (size_t)len);
  char back[64];
  const char *word = "h\xc3\xa9llo, \xe2\x82\xac";
  check("a UTF-8 string through the core adapter and back",
        probe(&h, word, (int32_t)strlen(word), back) && strcmp(back, word) == 0);
  int32_t many[17], sum = 0;
  for (int i = 0; i < 17; i++)
    many[i] = i + 1;
  int32_t tuple = alloc(&h, many, (int32_t)sizeof many, 4);
  check("17 parameters through memory",
        call(&h, ADAPTER_MOVES_EXPORT_MANY, &tuple, 1, &sum) && sum == 153);
  last_trap = -1;
  check("invalid UTF-8 traps through the hook with ADAPTER_MOVES_TRAP_INVALID_UTF8",
        !probe(&h, "\xc0\x80", 2, back) && last_trap == ADAPTER_MOVES_TRAP_INVALID_UTF8);
  /* Not a new block: a trapped instance is not entered again (the realloc included);
   * the adapter refuses before it reads anything. */
  last_trap = -1;
  int32_t again[2] = {tuple, 2}, r;
  check("the trapped instance refuses the adapter with ADAPTER_MOVES_TRAP_POISONED",
        !call(&h, ADAPTER_MOVES_EXPORT_PROBE, again, 2, &r) && last_trap == ADAPTER_MOVES_TRAP_POISONED);
  release(&h);
  free(wasm);
  printf("c-host: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
