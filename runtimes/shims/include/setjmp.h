/*
 * setjmp/longjmp for WASI through WebAssembly exception handling: clang lowers
 * setjmp calls (-mllvm -wasm-enable-sjlj) and wasm-sjlj.c provides the runtime
 * half. Only the first word of jmp_buf is used (the setjmp's id).
 * Build with: -mllvm -wasm-enable-sjlj -mexception-handling, and link wasm-sjlj.c.
 */
#ifndef PLAYPEN_SHIM_SETJMP_H
#define PLAYPEN_SHIM_SETJMP_H
typedef unsigned long jmp_buf[4];
typedef jmp_buf sigjmp_buf;
int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int value);
#define _setjmp setjmp
#define _longjmp longjmp
#define sigsetjmp(env, save) setjmp(env)
#define siglongjmp longjmp
#endif
