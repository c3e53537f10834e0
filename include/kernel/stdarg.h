/* Variable arguments: the compiler's own freestanding <stdarg.h>. */
#ifndef KERNEL_STDARG_H
#define KERNEL_STDARG_H

#include <stdarg.h>

#endif
