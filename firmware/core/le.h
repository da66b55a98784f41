/* Little-endian field access. Wire and blob fields are read through these so the code is
 * independent of host endianness and alignment (blob fields need not be aligned in RAM). */
#ifndef FW_LE_H
#define FW_LE_H
#include <stdint.h>

static inline uint16_t le_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t le_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline int32_t le_i32(const uint8_t *p) { return (int32_t)le_u32(p); }
static inline int16_t le_i16(const uint8_t *p) { return (int16_t)le_u16(p); }
static inline int64_t le_i64(const uint8_t *p) { return (int64_t)((uint64_t)le_u32(p) | ((uint64_t)le_u32(p + 4) << 32)); }
static inline void put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static inline void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v); put_u32(p + 4, (uint32_t)(v >> 32));
}
#endif
