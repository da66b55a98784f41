/* Minimal test assertions: count failures, print where, exit non-zero at the end. */
#ifndef FW_TEST_CHECK_H
#define FW_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int g_failures;
static int g_checks;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        g_checks++;                                                                      \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);     \
            g_failures++;                                                                \
        }                                                                                \
    } while (0)

#define CHECK_EQ(a, b)                                                                   \
    do {                                                                                 \
        long long _a = (long long)(a), _b = (long long)(b);                              \
        g_checks++;                                                                      \
        if (_a != _b) {                                                                  \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, \
                    #a, #b, _a, _b);                                                     \
            g_failures++;                                                                \
        }                                                                                \
    } while (0)

#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

static inline int test_end(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, g_checks, g_failures);
    return g_failures == 0 && g_checks > 0 ? 0 : 1;
}

/* Parses "04 01 ff" into bytes; returns the count. */
static inline size_t hex_bytes(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    int used;
    while (n < cap && sscanf(hex, " %2x%n", &v, &used) == 1) {
        out[n++] = (unsigned char)v;
        hex += used;
    }
    return n;
}
#endif
