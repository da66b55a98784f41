/* Minimal test assertions: count failures, print where, exit non-zero at the end. */
#ifndef SIM_TEST_CHECK_H
#define SIM_TEST_CHECK_H
#include <stdio.h>

static int g_failures, g_checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        g_checks++;                                                                  \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            g_failures++;                                                            \
        }                                                                            \
    } while (0)

static inline int test_end(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, g_checks, g_failures);
    return g_failures == 0 && g_checks > 0 ? 0 : 1;
}
#endif
