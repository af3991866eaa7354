/*
 * aws_fault — AWS-shaped errors (see aws_fault.h).
 */
#include "sim/aws_fault.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/error.h"

void
aws_fault_clear(aws_fault *f)
{
	memset(f, 0, sizeof(*f));
}

bool
aws_fault_isset(const aws_fault *f)
{
	return f->status != 0;
}

static int fault_vset(aws_fault *f, int status, aws_fault_party party,
    const char *code, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static int
fault_vset(aws_fault *f, int status, aws_fault_party party, const char *code,
    const char *fmt, va_list ap)
{
	SIM_ASSERT(status >= 400 && status <= 599);
	SIM_ASSERT(code != NULL && code[0] != '\0');
	f->status = status;
	f->party = party;
	snprintf(f->code, sizeof(f->code), "%s", code);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	return SIM_EFAULT;
}

int
aws_fault_set(aws_fault *f, int status, aws_fault_party party,
    const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fault_vset(f, status, party, code, fmt, ap);
	va_end(ap);
	return rc;
}

int
aws_fault_client(aws_fault *f, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fault_vset(f, 400, AWS_FAULT_SENDER, code, fmt, ap);
	va_end(ap);
	return rc;
}
