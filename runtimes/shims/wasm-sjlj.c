/*
 * The runtime half of clang's WebAssembly setjmp/longjmp lowering (LLVM 16,
 * -mllvm -wasm-enable-sjlj): the same contract as Emscripten's
 * emscripten_setjmp.c. Each setjmp gets an id stored in its jmp_buf; a function
 * that calls setjmp keeps a table of (id, label); longjmp throws a wasm exception
 * with the __c_longjmp tag that the lowered function catches and dispatches.
 * Compile with -mexception-handling.
 */
#include <stdint.h>
#include <stdlib.h>

typedef struct {
  uintptr_t id;
  uint32_t label;
} TableEntry;

static uint32_t temp_ret0;
static uintptr_t last_setjmp_id;

uint32_t getTempRet0(void) { return temp_ret0; }
void setTempRet0(uint32_t value) { temp_ret0 = value; }

TableEntry *saveSetjmp(uintptr_t *env, uint32_t label, TableEntry *table, uint32_t size) {
  *env = ++last_setjmp_id;
  for (uint32_t i = 0; i < size; i++) {
    if (table[i].id == 0) {
      table[i].id = *env;
      table[i].label = label;
      table[i + 1].id = 0; /* the table always ends with a free slot */
      temp_ret0 = size;
      return table;
    }
  }
  size *= 2;
  table = realloc(table, sizeof(TableEntry) * (size + 1));
  if (table == NULL) abort();
  table[size / 2].id = 0;
  last_setjmp_id--; /* the recursive call takes the id again */
  return saveSetjmp(env, label, table, size);
}

uint32_t testSetjmp(uintptr_t id, TableEntry *table, uint32_t size) {
  for (uint32_t i = 0; i < size && table[i].id != 0; i++) {
    if (table[i].id == id) return table[i].label;
  }
  return 0;
}

static struct {
  void *env;
  int value;
} longjmp_args;

void __wasm_longjmp(void *env, int value) {
  longjmp_args.env = env;
  longjmp_args.value = value;
  __builtin_wasm_throw(1, &longjmp_args);
}
