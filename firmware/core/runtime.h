/* Runs a loaded model once over the static arena. */
#ifndef FW_RUNTIME_H
#define FW_RUNTIME_H
#include "model.h"

/* Executes every op in order and reports each op's cost to hal_account_op. */
void runtime_invoke(const model_t *m);
#endif
