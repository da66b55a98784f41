/* Static scratch shared by the optimized kernels (no heap; ops run one at a time). */
#ifndef FW_OPT_SCRATCH_H
#define FW_OPT_SCRATCH_H
#include <stdint.h>
#include "opt.h"

/* +16: the last group is zero-padded to the group size (16 values at most). */
#define OPT_COL_VALUES (FW_OPT_MAX_K + 16u)
extern int16_t opt_nat[OPT_COL_VALUES];          /* one column, natural order */
extern uint32_t opt_cols[2][OPT_COL_VALUES / 2]; /* two columns, SMLAD pair order */
#endif
