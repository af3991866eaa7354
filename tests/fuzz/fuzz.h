/*
 * fuzz — what every libFuzzer target of ecsim defines (tests/fuzz/fuzz_*.c).
 * Built by `make fuzz` with clang's libFuzzer; tests/fuzz/replay.c runs the same
 * function over a committed corpus with any compiler (`make test`).
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* One input; returns 0. A finding is a crash, a sanitizer report or a
 * failed SIM_ASSERT. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
