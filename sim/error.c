/*
 * error — sim_error formatting and the code → exit-code map.
 */
#include "sim/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
sim_error_clear(sim_error *err)
{
	memset(err, 0, sizeof(*err));
}

int
sim_error_set(sim_error *err, int code, const char *file, int line, int col,
    const char *path, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void
sim_error_format(const sim_error *err, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
#define APPEND(...) do { \
	int w_ = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__); \
	if (w_ > 0) n += (size_t)w_; \
} while (0)
	if (err->file[0] != '\0') {
		APPEND("%s:", err->file);
		if (err->line > 0)
			APPEND("%d:%d:", err->line, err->col);
		APPEND(" ");
	}
	if (err->path[0] != '\0')
		APPEND("%s: ", err->path);
	APPEND("%s", err->msg);
#undef APPEND
}

void
sim_error_print(FILE *out, const sim_error *err)
{
	char buf[1400];
	sim_error_format(err, buf, sizeof(buf));
	fprintf(out, "%s\n", buf);
}

int
sim_exit_code(int code)
{
	switch (code) {
	case SIM_OK:
		return SIM_EXIT_OK;
	case SIM_EEXPECT:
		return SIM_EXIT_EXPECT;
	case SIM_EINPUT:
	case SIM_EUSAGE:
		return SIM_EXIT_INPUT;
	default:
		return SIM_EXIT_RUNTIME;
	}
}

const char *
sim_strerror(int code)
{
	switch (code) {
	case SIM_OK: return "ok";
	case SIM_EINPUT: return "input error";
	case SIM_EUSAGE: return "usage error";
	case SIM_EIO: return "i/o error";
	case SIM_ERUNTIME: return "runtime error";
	case SIM_EEXPECT: return "expectation failed";
	case SIM_EFAULT: return "AWS error";
	default: return "unknown error";
	}
}

void
sim_panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s:%d: ecsim internal error: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
