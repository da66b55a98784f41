/* CRC-32/IEEE (zlib's crc32): reflected poly 0xEDB88320, init and xorout 0xFFFFFFFF. */
#ifndef FW_CRC32_H
#define FW_CRC32_H
#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0, feed pieces in order; the result is the final CRC. */
uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t n);
static inline uint32_t crc32_compute(const uint8_t *data, size_t n) { return crc32_update(0, data, n); }
#endif
