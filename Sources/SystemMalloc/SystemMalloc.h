// The C allocator's statistics, for the benchmark's memory figures: glibc's `mallinfo2`,
// which the Swift Glibc module does not bring in.
#if defined(__linux__)
#include <malloc.h>
#endif
