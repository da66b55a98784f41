/* Consistent Overhead Byte Stuffing: removes every 0x00 so that 0x00 can end a frame. */
#ifndef FW_COBS_H
#define FW_COBS_H
#include <stddef.h>
#include <stdint.h>

/* Worst-case encoded size of n bytes (without the trailing 0x00 delimiter). */
#define COBS_MAX_ENCODED(n) ((n) + (n) / 254 + 1)

/* Encodes in[0..n) into out (capacity cap). Returns the encoded length, 0 if it does not fit.
 * Writes no delimiter. */
size_t cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/* Decodes in[0..n) (no delimiter) into out (capacity cap). Returns the decoded length, or
 * (size_t)-1 on malformed input (a 0x00 inside, a code running past the end, or too long). */
size_t cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);
#define COBS_ERROR ((size_t)-1)
#endif
