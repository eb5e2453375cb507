package pyfront

/*
#include <stdlib.h>
void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));
static void deployless_use_c_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }
*/
import "C"

// go-tree-sitter routes every allocation of the C library through Go
// callbacks (C → Go → C malloc), so it can offer a Go-side SetAllocator; that
// made allocation most of our parse time (pprof: runtime.cgocallback under
// _cgo_cmalloc). We need no custom allocator, so the library gets libc's
// functions directly. This runs after go-tree-sitter's own init, which it
// imports, and before any parser exists.
func init() { C.deployless_use_c_allocator() }
