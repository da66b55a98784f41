/* Dot products of bit-packed weight rows with int16 activation columns, two products per SMLAD.
 *
 * Weights are unpacked on the fly, one 32-bit load per group, into sign-extended int16 pairs:
 *  8-bit: SXTB16 and SXTB16 ROR 8 give (w0,w2), (w1,w3).
 *  4-bit: masking the high nibble of each byte (w & 0xF0F0F0F0, then (w << 4) & ...) leaves
 *         bytes equal to 16*w, which SXTB16 sign-extends: (w1,w5) (w3,w7) (w0,w4) (w2,w6).
 *  2-bit: the same with 0xC0C0C0C0 and shifts 0,2,4,6: bytes equal to 64*w.
 *  3-bit: a field extract per value (SBFX), packed in pairs (w0,w1) ... (w6,w7).
 *  5..7-bit: the same on a group of 8 values in 5..7 bytes, read as two words (a value that
 *         straddles them costs a shift-or more).
 * The activation column is stored in that same pair order (opt_pack_col), so no shuffle runs in
 * the inner loop. The 4- and 2-bit sums are 16x and 64x the true sums; opt_k_ok admits only
 * rows short enough that the scaled sum cannot leave int32, so an exact arithmetic shift
 * recovers the true sum, which then wraps with the bias exactly as the reference's does. */
#include "opt.h"
#include "dsp.h"
#include "opt_requant.h"

unsigned opt_group(unsigned bits)
{
    switch (bits) {
    case 8: return 4;
    case 2: return 16;
    default: return bits >= 3 && bits <= 7 ? 8 : 0; /* 8 values in `bits` bytes */
    }
}

bool opt_k_ok(uint32_t k, unsigned bits, uint32_t max_k)
{
    /* |x - zp| <= 255, |w| <= 2^(bits-1) - 1, scale 16 (4-bit) or 64 (2-bit) */
    uint64_t per = bits == 4 ? 255u * 7u * 16u : bits == 2 ? 255u * 1u * 64u : 0u;
    if (opt_group(bits) == 0 || k > max_k) return false;
    return (uint64_t)k * per < 0x80000000ull;
}

/* Index (within its group) of the low and high value of pair j. */
static void pair_index(unsigned bits, unsigned j, unsigned *lo, unsigned *hi)
{
    /* low value of each slot; the high one is lo + 2 (8-bit), + 4, + 8 (2-bit), + 1 (3-bit) */
    static const uint8_t lo8[2] = {0, 1}, lo4[4] = {1, 3, 0, 2}, lo2[8] = {3, 7, 2, 6, 1, 5, 0, 4};
    switch (bits) {
    case 8: *lo = lo8[j & 1u]; *hi = *lo + 2; break;
    case 4: *lo = lo4[j & 3u]; *hi = *lo + 4; break;
    case 2: *lo = lo2[j & 7u]; *hi = *lo + 8; break;
    default: *lo = 2 * (j & 3u); *hi = *lo + 1; break;
    }
}

void opt_pair_index(unsigned bits, unsigned lo[8], unsigned hi[8])
{
    for (unsigned j = 0; j < opt_group(bits) / 2; j++) pair_index(bits, j, &lo[j], &hi[j]);
}

void opt_pair_hw(unsigned bits, uint8_t hw[16])
{
    unsigned g = opt_group(bits);
    for (unsigned j = 0; j < g / 2; j++) {
        unsigned lo, hi;
        pair_index(bits, j, &lo, &hi);
        hw[lo & 15u] = (uint8_t)(8 * j);
        hw[hi & 15u] = (uint8_t)(8 * j + 1);
    }
}

void opt_pack_col(const int8_t *x, int32_t zp, uint32_t k, unsigned bits, uint32_t *pairs)
{
    unsigned g = opt_group(bits), lo[8], hi[8];
    for (unsigned j = 0; j < g / 2; j++) pair_index(bits, j, &lo[j], &hi[j]);
    uint32_t nzp = dsp_pack(-zp, -zp), base = 0;
    /* whole groups from word loads: SXTAB16 gives x - zp for the even / odd bytes of a word,
     * PKHBT/PKHTB pair the halves the weight unpacking pairs */
    for (; base + g <= k; base += g) {
        const int8_t *p = x + base;
        uint32_t e0 = dsp_sxtab16(nzp, dsp_ld32(p)), e1 = dsp_sxtab16_ror8(nzp, dsp_ld32(p));
        switch (bits) {
        case 8: *pairs++ = e0, *pairs++ = e1; break; /* (x0,x2) (x1,x3) */
        case 3: case 5: case 6: case 7: {
            uint32_t e2 = dsp_sxtab16(nzp, dsp_ld32(p + 4)), e3 = dsp_sxtab16_ror8(nzp, dsp_ld32(p + 4));
            *pairs++ = dsp_pkbb(e0, e1), *pairs++ = dsp_pktt(e0, e1); /* (x0,x1) (x2,x3) */
            *pairs++ = dsp_pkbb(e2, e3), *pairs++ = dsp_pktt(e2, e3);
            break;
        }
        case 4: {
            uint32_t e2 = dsp_sxtab16(nzp, dsp_ld32(p + 4)), e3 = dsp_sxtab16_ror8(nzp, dsp_ld32(p + 4));
            *pairs++ = dsp_pkbb(e1, e3), *pairs++ = dsp_pktt(e1, e3); /* (x1,x5) (x3,x7) */
            *pairs++ = dsp_pkbb(e0, e2), *pairs++ = dsp_pktt(e0, e2); /* (x0,x4) (x2,x6) */
            break;
        }
        default: { /* 2: (x3,x11) (x7,x15) (x2,x10) (x6,x14) (x1,x9) (x5,x13) (x0,x8) (x4,x12) */
            uint32_t e2 = dsp_sxtab16(nzp, dsp_ld32(p + 4)), e3 = dsp_sxtab16_ror8(nzp, dsp_ld32(p + 4));
            uint32_t f0 = dsp_sxtab16(nzp, dsp_ld32(p + 8)), f1 = dsp_sxtab16_ror8(nzp, dsp_ld32(p + 8));
            uint32_t f2 = dsp_sxtab16(nzp, dsp_ld32(p + 12)), f3 = dsp_sxtab16_ror8(nzp, dsp_ld32(p + 12));
            *pairs++ = dsp_pktt(e1, f1), *pairs++ = dsp_pktt(e3, f3), *pairs++ = dsp_pktt(e0, f0);
            *pairs++ = dsp_pktt(e2, f2), *pairs++ = dsp_pkbb(e1, f1), *pairs++ = dsp_pkbb(e3, f3);
            *pairs++ = dsp_pkbb(e0, f0), *pairs++ = dsp_pkbb(e2, f2);
            break;
        }
        }
    }
    for (; base < k; base += g) /* the last, partial group: value by value, zero-padded */
        for (unsigned j = 0; j < g / 2; j++) {
            uint32_t a = base + lo[j], b = base + hi[j];
            *pairs++ = dsp_pack(a < k ? x[a] - zp : 0, b < k ? x[b] - zp : 0);
        }
}

/* Pair j of a group word; j is a constant after inlining, so the selects fold away. */
static inline uint32_t sx_sel(uint32_t v, unsigned odd) { return odd ? dsp_sxtb16_ror8(v) : dsp_sxtb16(v); }
static inline int32_t sbfx3(uint32_t v, unsigned s) { return (int32_t)(v << (29 - s)) >> 29; }
#define UNP8(w, j) sx_sel((w), (j) & 1)
#define UNP4(w, j) sx_sel(((w) << (4 * ((j) >> 1))) & 0xF0F0F0F0u, (j) & 1)
#define UNP2(w, j) sx_sel(((w) << (2 * ((j) >> 1))) & 0xC0C0C0C0u, (j) & 1)
#define UNP3(w, j) dsp_pkbb((uint32_t)sbfx3((w), 6 * (j)), (uint32_t)sbfx3((w), 6 * (j) + 3))

/* 5..7 bits: value i at bit b*i of the two-word group, pairs in natural order */
static inline int32_t sbfxw(uint64_t w, unsigned off, unsigned b) { return (int32_t)((uint32_t)(w >> off) << (32 - b)) >> (32 - b); }
#define UNPW(w, j) dsp_pkbb((uint32_t)sbfxw((w), BW * 2 * (j), BW), (uint32_t)sbfxw((w), BW * (2 * (j) + 1), BW))

#define REP2(X) X(0) X(1)
#define REP4(X) X(0) X(1) X(2) X(3)
#define REP8(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

/* Whole-word loads while a 4-byte read stays inside the row; the row's last group(s) go
 * through a zero-filled copy so nothing past the row (or the data section) is read. */
static inline uint32_t fast_groups(uint32_t row_bytes, uint32_t ngroups, unsigned gb, unsigned rw)
{
    uint32_t n = row_bytes >= rw ? (row_bytes - rw) / gb + 1 : 0;
    return n < ngroups ? n : ngroups;
}
static inline uint32_t ld_safe(const uint8_t *row, uint32_t off, uint32_t row_bytes)
{
    uint32_t n = off < row_bytes ? row_bytes - off : 0; /* bytes left in the row, < 4 here */
    if (row_bytes >= 4 && n > 0) return dsp_ld32(row + row_bytes - 4) >> (8u * (4u - n)); /* little-endian */
    uint32_t v = 0;
    for (uint32_t i = 0; i < n; i++) v |= (uint32_t)row[off + i] << (8u * i);
    return v;
}
/* 5..7-bit groups: 8 values in 5..7 bytes, read as two words */
static inline uint64_t ld64(const uint8_t *p) { return (uint64_t)dsp_ld32(p) | (uint64_t)dsp_ld32(p + 4) << 32; }
static inline uint64_t ld_safe64(const uint8_t *row, uint32_t off, uint32_t row_bytes)
{
    uint32_t n = off < row_bytes ? row_bytes - off : 0; /* < 8 here */
    uint32_t lo = n >= 4 ? dsp_ld32(row + off) : ld_safe(row, off, row_bytes);
    uint32_t hi = n > 4 ? ld_safe(row, off + 4, row_bytes) : 0;
    return (uint64_t)lo | (uint64_t)hi << 32;
}

/* GEMM with requantization, 1 weight row x 4 columns: each unpacked weight pair feeds four
 * SMLADs, so the unpacking (the costly part for 2..4 bits) is shared by four output pixels. The
 * four columns are interleaved per pair slot (opt_pair_hw): slot j's four words are adjacent
 * and come in with one LDM. One function per bit width, the channel loop inside it. */
#define MAC1X4(j)                                                                          \
    {                                                                                      \
        uint32_t pw = UNP(w, j), x0, x1, x2, x3;                                           \
        DSP_LDM4(col, x0, x1, x2, x3);                                                     \
        s0 = dsp_smlad(pw, x0, s0); s1 = dsp_smlad(pw, x1, s1);                            \
        s2 = dsp_smlad(pw, x2, s2); s3 = dsp_smlad(pw, x3, s3);                            \
    }
#define DEF_GEMM1X4(NAME, REP, GB, SH)                                                     \
    static void NAME(const opt_gemm_t *G, uint32_t nm, const uint32_t *cols, uint32_t ng,  \
                     int8_t *y, uint32_t y_stride, uint32_t ncols)                         \
    {                                                                                      \
        const uint8_t *row = G->w;                                                         \
        uint32_t rb = G->row_bytes, nf = fast_groups(rb, ng, GB, RW);                      \
        uint32_t lo4 = opt_bytes4(G->lo), hi4 = opt_bytes4(G->hi), span = (ng - 1) * GB + RW; \
        /* word reads past a row's end are fine while inside the data section (the bytes   \
         * there meet the columns' zero padding): rows 0 .. mfull-1 need no tail path */    \
        size_t avail = (size_t)(G->data_end - row);                                        \
        uint32_t mfull = nf == ng ? nm : avail >= span ? (uint32_t)((avail - span) / rb) + 1 : 0; \
        for (uint32_t m = 0; m < nm; m++, row += rb, y += y_stride) {                      \
            uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, g = 0;                                \
            const uint32_t *col = cols;                                                    \
            uint32_t nfm = m < mfull ? ng : nf;                                            \
            for (const uint8_t *r = row, *e = row + nfm * GB; r < e; r += GB) {            \
                WT w = LDW(r);                                                             \
                REP(MAC1X4)                                                                \
            }                                                                              \
            for (g = nfm; g < ng; g++) {                                                   \
                WT w = LDSAFE(row, g * GB, rb);                                            \
                REP(MAC1X4)                                                                \
            }                                                                              \
            uint32_t acc[4] = {(uint32_t)((int32_t)s0 >> SH), (uint32_t)((int32_t)s1 >> SH), \
                               (uint32_t)((int32_t)s2 >> SH), (uint32_t)((int32_t)s3 >> SH)}; \
            opt_chan_t q = opt_chan(G->data, G->bias_off, G->mult_off, G->shift_off, G->m0 + m, G->single); \
            if (ncols == 4)                                                                \
                dsp_st32(y, opt_requant4(acc, &q, G->zp_out, lo4, hi4));                   \
            else                                                                           \
                for (uint32_t cc = 0; cc < ncols; cc++) y[cc] = opt_requant(acc[cc], &q, G->zp_out, G->lo, G->hi); \
        }                                                                                  \
    }

#define MAC4X1(j)                                                                          \
    {                                                                                      \
        uint32_t x = col[j];                                                               \
        s0 = dsp_smlad(UNP(w0, j), x, s0); s1 = dsp_smlad(UNP(w1, j), x, s1);              \
        s2 = dsp_smlad(UNP(w2, j), x, s2); s3 = dsp_smlad(UNP(w3, j), x, s3);              \
    }
#define DEF_DOT4X1(NAME, REP, NP, GB, SH)                                                  \
    static void NAME(const uint8_t *const r[4], uint32_t rb, const uint32_t *col, uint32_t ng, \
                     uint32_t acc[4])                                                      \
    {                                                                                      \
        uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, g = 0, off = 0;                           \
        const uint8_t *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];                      \
        for (uint32_t nf = fast_groups(rb, ng, GB, RW); g < nf; g++, off += GB, col += NP) { \
            WT w0 = LDW(r0 + off), w1 = LDW(r1 + off);                                     \
            WT w2 = LDW(r2 + off), w3 = LDW(r3 + off);                                     \
            REP(MAC4X1)                                                                    \
        }                                                                                  \
        for (; g < ng; g++, off += GB, col += NP) {                                        \
            WT w0 = LDSAFE(r0, off, rb), w1 = LDSAFE(r1, off, rb);                         \
            WT w2 = LDSAFE(r2, off, rb), w3 = LDSAFE(r3, off, rb);                         \
            REP(MAC4X1)                                                                    \
        }                                                                                  \
        acc[0] = (uint32_t)((int32_t)s0 >> SH); acc[1] = (uint32_t)((int32_t)s1 >> SH);    \
        acc[2] = (uint32_t)((int32_t)s2 >> SH); acc[3] = (uint32_t)((int32_t)s3 >> SH);    \
    }

#define WT uint32_t
#define LDW dsp_ld32
#define LDSAFE ld_safe
#define RW 4
/* 2 rows x 1 column for the two-word groups of 5..7 bits: 4 rows would spill */
#define MAC2X1(j)                                                                          \
    {                                                                                      \
        uint32_t x = col[j];                                                               \
        s0 = dsp_smlad(UNP(w0, j), x, s0); s1 = dsp_smlad(UNP(w1, j), x, s1);              \
    }
#define DEF_DOT2X1(NAME, REP, NP, GB)                                                      \
    static void NAME(const uint8_t *const r[2], uint32_t rb, const uint32_t *col, uint32_t ng, \
                     uint32_t acc[2])                                                      \
    {                                                                                      \
        uint32_t s0 = 0, s1 = 0, g = 0, off = 0;                                           \
        const uint8_t *r0 = r[0], *r1 = r[1];                                              \
        for (uint32_t nf = fast_groups(rb, ng, GB, RW); g < nf; g++, off += GB, col += NP) { \
            WT w0 = LDW(r0 + off), w1 = LDW(r1 + off);                                     \
            REP(MAC2X1)                                                                    \
        }                                                                                  \
        for (; g < ng; g++, off += GB, col += NP) {                                        \
            WT w0 = LDSAFE(r0, off, rb), w1 = LDSAFE(r1, off, rb);                         \
            REP(MAC2X1)                                                                    \
        }                                                                                  \
        acc[0] = s0, acc[1] = s1;                                                          \
    }

#define UNP UNP8
DEF_GEMM1X4(gemm1x4_b8, REP2, 4, 0)
DEF_DOT4X1(dot4x1_b8, REP2, 2, 4, 0)
#undef UNP
#define UNP UNP4
DEF_GEMM1X4(gemm1x4_b4, REP4, 4, 4)
DEF_DOT4X1(dot4x1_b4, REP4, 4, 4, 4)
#undef UNP
#define UNP UNP2
DEF_GEMM1X4(gemm1x4_b2, REP8, 4, 6)
DEF_DOT4X1(dot4x1_b2, REP8, 8, 4, 6)
#undef UNP
#define UNP UNP3
DEF_GEMM1X4(gemm1x4_b3, REP4, 3, 0)
DEF_DOT4X1(dot4x1_b3, REP4, 4, 3, 0)
#undef UNP
#undef WT
#undef LDW
#undef LDSAFE
#undef RW
#define WT uint64_t
#define LDW ld64
#define LDSAFE ld_safe64
#define RW 8
#define UNP UNPW
#define BW 5
DEF_GEMM1X4(gemm1x4_b5, REP4, 5, 0)
DEF_DOT2X1(dot2x1_b5, REP4, 4, 5)
#undef BW
#define BW 6
DEF_GEMM1X4(gemm1x4_b6, REP4, 6, 0)
DEF_DOT2X1(dot2x1_b6, REP4, 4, 6)
#undef BW
#define BW 7
DEF_GEMM1X4(gemm1x4_b7, REP4, 7, 0)
DEF_DOT2X1(dot2x1_b7, REP4, 4, 7)
#undef BW

void opt_gemm1x4(const opt_gemm_t *G, uint32_t nm, const uint32_t *cols, int8_t *y, uint32_t y_stride,
                 uint32_t ncols)
{
    uint32_t ng = (G->k + opt_group(G->bits) - 1) / opt_group(G->bits);
    switch (G->bits) {
    case 8: gemm1x4_b8(G, nm, cols, ng, y, y_stride, ncols); break;
    case 4: gemm1x4_b4(G, nm, cols, ng, y, y_stride, ncols); break;
    case 2: gemm1x4_b2(G, nm, cols, ng, y, y_stride, ncols); break;
    case 3: gemm1x4_b3(G, nm, cols, ng, y, y_stride, ncols); break;
    case 5: gemm1x4_b5(G, nm, cols, ng, y, y_stride, ncols); break;
    case 6: gemm1x4_b6(G, nm, cols, ng, y, y_stride, ncols); break;
    default: gemm1x4_b7(G, nm, cols, ng, y, y_stride, ncols); break;
    }
}

void opt_dot4x1(const uint8_t *const r[4], uint32_t row_bytes, const uint32_t *col, uint32_t k,
                unsigned bits, uint32_t acc[4])
{
    uint32_t ng = (k + opt_group(bits) - 1) / opt_group(bits);
    switch (bits) {
    case 8: dot4x1_b8(r, row_bytes, col, ng, acc); break;
    case 4: dot4x1_b4(r, row_bytes, col, ng, acc); break;
    case 2: dot4x1_b2(r, row_bytes, col, ng, acc); break;
    case 3: dot4x1_b3(r, row_bytes, col, ng, acc); break;
    case 5: dot2x1_b5(r, row_bytes, col, ng, acc), dot2x1_b5(r + 2, row_bytes, col, ng, acc + 2); break;
    case 6: dot2x1_b6(r, row_bytes, col, ng, acc), dot2x1_b6(r + 2, row_bytes, col, ng, acc + 2); break;
    default: dot2x1_b7(r, row_bytes, col, ng, acc), dot2x1_b7(r + 2, row_bytes, col, ng, acc + 2); break;
    }
}
