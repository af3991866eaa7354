/*
 * fuzz_duration — libFuzzer target: duration strings ("90s", "1h30m") as
 * scenario files and --duration give them (simtime_parse), and the
 * printing of what they parse to.
 *
 * Checked besides memory safety: a parsed duration is never negative; the
 * compact and clock forms of it print without overflowing their buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "sim/error.h"
#include "sim/simtime.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	sim_time t;
	char why[256], buf[64];
	if (simtime_parse(s, &t, why, sizeof(why)) == 0) {
		SIM_ASSERT(t >= 0);
		simtime_format(t, buf, sizeof(buf));
		SIM_ASSERT(strlen(buf) < sizeof(buf));
		simtime_clock(t, buf, sizeof(buf));
		SIM_ASSERT(strlen(buf) < sizeof(buf));
	} else
		SIM_ASSERT(why[0] != '\0');
	/* seconds as JSON numbers give them */
	double secs;
	if (size == sizeof(double)) {
		memcpy(&secs, data, sizeof(secs));
		if (simtime_from_seconds(secs, &t) == 0)
			SIM_ASSERT(t >= 0 && t <= SIM_DURATION_MAX);
	}
	free(s);
	return 0;
}
