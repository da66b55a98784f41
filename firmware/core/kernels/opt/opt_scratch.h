/* Static scratch shared by the optimized kernels (no heap; ops run one at a time). The ONE
 * place its size is set: OPT_SCRATCH_BYTES = 8 * (FW_OPT_MAX_K + 16) (16512 bytes by default),
 * used as four int16 im2col columns (conv), one int16 column twice (FC: natural order + pair
 * order), or a zero-point-padded input plane plus one row of int32 sums (depthwise 3x3). */
#ifndef FW_OPT_SCRATCH_H
#define FW_OPT_SCRATCH_H
#include <stdint.h>
#include "opt.h"

/* +16: the last group is zero-padded to the group size (16 values at most). */
#define OPT_COL_VALUES (FW_OPT_MAX_K + 16u)
#define OPT_SCRATCH_BYTES (8u * OPT_COL_VALUES)
extern uint32_t opt_scratch[OPT_SCRATCH_BYTES / 4];
#endif
