#include "model_store.h"

#include <string.h>
#include "board.h"
#include "flash_l4.h"

#define RECORD_PAGE  255u
#define RECORD_ADDR  (FLASH_BANK2_ADDR + RECORD_PAGE * FLASH_PAGE_BYTES)
#define RECORD_MAGIC 0x534D4145u /* "EAMS" */
#define PENDING_MAX  8

typedef struct {
    bool used;
    uint32_t dword;   /* index of the double word in the region */
    uint8_t bytes[8];
    uint8_t mask;     /* bytes received */
} pending_t;

static uint32_t g_size;
static pending_t g_pending[PENDING_MAX];

const uint8_t *model_store_region(void) { return (const uint8_t *)(uintptr_t)FLASH_BANK2_ADDR; }

bool model_store_begin(uint32_t size)
{
    if (size == 0 || size > BOARD_MODEL_BYTES) return false;
    memset(g_pending, 0, sizeof g_pending);
    g_size = size;
    if (!flash_erase_bank2_page(RECORD_PAGE)) return false; /* the old model is gone first */
    for (uint32_t p = 0; p < (size + FLASH_PAGE_BYTES - 1) / FLASH_PAGE_BYTES; p++)
        if (!flash_erase_bank2_page(p)) return false;
    return true;
}

/* Bytes of double word d that lie inside the blob (the rest is padding, left erased). */
static uint8_t needed_mask(uint32_t d)
{
    uint32_t start = d * 8u;
    uint32_t n = g_size - start >= 8u ? 8u : g_size - start;
    return (uint8_t)((1u << n) - 1u);
}

static bool merge(uint32_t d, uint32_t from, const uint8_t *data, uint32_t n)
{
    pending_t *e = 0;
    for (int i = 0; i < PENDING_MAX && !e; i++)
        if (g_pending[i].used && g_pending[i].dword == d) e = &g_pending[i];
    for (int i = 0; i < PENDING_MAX && !e; i++)
        if (!g_pending[i].used) { e = &g_pending[i]; memset(e, 0, sizeof *e); memset(e->bytes, 0xFF, 8); e->used = true; e->dword = d; }
    if (!e) return false; /* too many partial double words at once: the host retries */
    for (uint32_t k = 0; k < n; k++) { e->bytes[from + k] = data[k]; e->mask |= (uint8_t)(1u << (from + k)); }
    if ((e->mask & needed_mask(d)) != needed_mask(d)) return true;
    e->used = false;
    return flash_program_dword(FLASH_BANK2_ADDR + d * 8u, e->bytes);
}

bool model_store_write(uint32_t offset, const uint8_t *data, uint32_t n)
{
    if (offset > g_size || g_size - offset < n) return false;
    while (n > 0) {
        uint32_t d = offset / 8u, from = offset % 8u;
        uint32_t take = 8u - from < n ? 8u - from : n;
        bool ok = (from == 0 && take == 8u) ? flash_program_dword(FLASH_BANK2_ADDR + d * 8u, data)
                                             : merge(d, from, data, take);
        if (!ok) return false;
        offset += take; data += take; n -= take;
    }
    return true;
}

void model_store_commit(uint32_t size)
{
    uint8_t rec[8];
    uint32_t magic = RECORD_MAGIC;
    memcpy(rec, &magic, 4);
    memcpy(rec + 4, &size, 4);
    flash_program_dword(RECORD_ADDR, rec); /* if this fails the model is simply not restored */
}

uint32_t model_store_restore(void)
{
    const volatile uint32_t *rec = (const volatile uint32_t *)(uintptr_t)RECORD_ADDR;
    if (rec[0] != RECORD_MAGIC || rec[1] == 0 || rec[1] > BOARD_MODEL_BYTES) return 0;
    g_size = rec[1];
    return rec[1]; /* proto_init re-validates the blob and recomputes its CRC */
}
