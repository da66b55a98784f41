/* Optimized FULLY_CONNECTED / CONV2D for Cortex-M4 (DSP extension: SMLAD, SXTB16). Each
 * returns false when it does not take the layer (weight bits 5..7, a kernel row longer than
 * its scratch, an accumulator bound it cannot prove), and the caller runs the reference kernel,
 * which stays the oracle: results are bit for bit the reference kernels'. */
#ifndef FW_KERNELS_OPT_H
#define FW_KERNELS_OPT_H
#include <stdbool.h>
#include <stdint.h>
#include "../kernels.h"

/* Longest kernel row (K for FC, C/group*kh*kw for conv) the static scratch holds. */
#ifndef FW_OPT_MAX_K
#define FW_OPT_MAX_K 2048u
#endif

bool opt_fully_connected_run(const op_ctx_t *c);
bool opt_conv2d_run(const op_ctx_t *c);

/* --- shared by the optimized kernels (opt_gemm.c) --- */
/* Values per weight group (one 32-bit load; 24 bits for 3-bit), 0 for unsupported bits. */
unsigned opt_group(unsigned bits);
/* True when the scaled int32 sum of k products cannot overflow (see opt_gemm.c). */
bool opt_k_ok(uint32_t k, unsigned bits);
/* Packs k int16 values (natural order, zero-padded by the caller to whole groups) into the
 * pair order the weight unpacking of `bits` produces. */
void opt_pack_col(const int16_t *nat, uint32_t k, unsigned bits, uint32_t *pairs);
/* acc[2r + c] = dot(row r, column c) for 2 weight rows x 2 packed columns (exact, wrapping). */
void opt_dot2x2(const uint8_t *r0, const uint8_t *r1, uint32_t row_bytes, const uint32_t *c0,
                const uint32_t *c1, uint32_t k, unsigned bits, uint32_t acc[4]);
/* acc[r] = dot(row r, column) for 4 weight rows x 1 packed column. */
void opt_dot4x1(const uint8_t *const r[4], uint32_t row_bytes, const uint32_t *col, uint32_t k,
                unsigned bits, uint32_t acc[4]);
#endif
