/* Optimized FULLY_CONNECTED / CONV2D for Cortex-M4 (DSP extension: SMLAD, SXTB16), int8
 * activations, 2..8-bit weights, blob format 1 or 2 requantization (op_ctx_t.single_rounding). Each returns false when it does not take the layer (int16
 * activations, a kernel row longer than its scratch, an accumulator bound it cannot prove),
 * and the caller runs the reference kernel, which stays the oracle: results are bit for bit
 * the reference kernels'. */
#ifndef FW_KERNELS_OPT_H
#define FW_KERNELS_OPT_H
#include <stdbool.h>
#include <stdint.h>
#include "../kernels.h"

/* Longest conv kernel row (C/group*kh*kw) the static scratch holds as four im2col columns;
 * FC rows may be four times longer (one column). Sets the scratch size (opt_scratch.h). */
#ifndef FW_OPT_MAX_K
#define FW_OPT_MAX_K 2048u
#endif

bool opt_fully_connected_run(const op_ctx_t *c);
bool opt_conv2d_run(const op_ctx_t *c);

/* --- shared by the optimized kernels (opt_gemm.c) --- */
/* Values per weight group (one 32-bit load; 24 bits for 3-bit), 0 for unsupported bits. */
unsigned opt_group(unsigned bits);
/* True when k <= max_k and the scaled int32 sum of k products cannot overflow (opt_gemm.c). */
bool opt_k_ok(uint32_t k, unsigned bits, uint32_t max_k);
/* Packs x[0..k) - zp as int16 into the pair order the weight unpacking of `bits` produces,
 * zero-padded to whole groups. */
void opt_pack_col(const int8_t *x, int32_t zp, uint32_t k, unsigned bits, uint32_t *pairs);
/* Halfword offset, inside one group's block of the 4-column layout, of each of the group's
 * values (column c adds 2c): block = opt_group(bits)/2 pair slots of 4 words, one per column. */
void opt_pair_hw(unsigned bits, uint8_t hw[16]);
/* A GEMM over output channels m0 .. m0+nm-1 (weight rows from w, which is channel m0's row)
 * and 4 columns in the 4-column layout, requantized to int8: y[m*y_stride + c] for c < ncols. */
typedef struct {
    const uint8_t *w, *data, *data_end; /* data_end: end of the data section */
    uint32_t row_bytes, k, m0;
    unsigned bits;
    int32_t bias_off, mult_off, shift_off, zp_out, lo, hi;
    bool single; /* format 2 requantization (op_ctx_t.single_rounding) */
} opt_gemm_t;
void opt_gemm1x4(const opt_gemm_t *G, uint32_t nm, const uint32_t *cols, int8_t *y, uint32_t y_stride,
                 uint32_t ncols);
/* Pair slot j of a group holds values lo[j] (low half) and hi[j] (high half) of the group. */
void opt_pair_index(unsigned bits, unsigned lo[8], unsigned hi[8]);
/* acc[r] = dot(row r, column) for 4 weight rows x 1 packed column. */
void opt_dot4x1(const uint8_t *const r[4], uint32_t row_bytes, const uint32_t *col, uint32_t k,
                unsigned bits, uint32_t acc[4]);
#endif
