#include "protocol.h"

#include <string.h>
#include "../hal/hal.h"
#include "crc32.h"
#include "le.h"
#include "runtime.h"

/* The input as last set by SET_INPUT (see FW_INPUT_BYTES). */
static uint8_t g_input[FW_INPUT_BYTES];

typedef struct {
    uint8_t status;
    uint16_t len;
    uint8_t data[FRAME_MAX_PAYLOAD];
} reply_t;

static uint8_t nak(reply_t *r, uint8_t status) { r->status = status; r->len = 0; return status; }

/* NAK with the u32 detail and ASCII reason PROTOCOL.md allows. */
static uint8_t nak_reason(reply_t *r, uint8_t status, uint32_t detail, const char *reason)
{
    r->status = status;
    put_u32(r->data, detail);
    size_t n = strlen(reason);
    if (n > 200) n = 200;
    memcpy(r->data + 4, reason, n);
    r->len = (uint16_t)(4 + n);
    return status;
}

static void cmd_identify(proto_t *p, reply_t *r)
{
    uint32_t cap;
    hal_model_region(&cap);
    const char *id = hal_board_id();
    size_t id_len = strlen(id);
    if (id_len > 64) id_len = 64;
    uint8_t *d = r->data;
    put_u16(d, PROTOCOL_VERSION);
    put_u16(d + 2, FW_VERSION);
    put_u32(d + 4, hal_clock_hz());
    put_u32(d + 8, cap);
    put_u32(d + 12, p->cfg.arena_capacity);
    put_u16(d + 16, PROTO_MAX_CHUNK);
    put_u16(d + 18, PROTO_WINDOW);
    put_u32(d + 20, p->has_model ? p->model_crc : 0);
    put_u32(d + 24, p->has_model ? p->model_size : 0);
    d[28] = (uint8_t)id_len;
    memcpy(d + 29, id, id_len);
    r->len = (uint16_t)(29 + id_len);
}

static void cmd_model_begin(proto_t *p, const frame_t *f, reply_t *r)
{
    uint32_t cap;
    hal_model_region(&cap);
    if (f->len != 8) { nak(r, ST_BAD_LENGTH); return; }
    uint32_t size = le_u32(f->payload), crc = le_u32(f->payload + 4);
    if (size == 0) { nak(r, ST_BAD_ARG); return; }
    if (size > cap) { nak(r, ST_TOO_LARGE); return; }
    p->has_model = false; /* the region is about to be overwritten */
    p->uploading = false;
    if (!hal_model_begin(size)) { nak_reason(r, ST_BAD_STATE, 0, "model storage erase failed"); return; }
    p->uploading = true;
    p->up_size = size;
    p->up_crc = crc;
}

static void cmd_model_chunk(proto_t *p, const frame_t *f, reply_t *r)
{
    if (f->len < 5 || f->len > 4 + PROTO_MAX_CHUNK) { nak(r, ST_BAD_LENGTH); return; }
    if (!p->uploading) { nak(r, ST_BAD_STATE); return; }
    uint32_t off = le_u32(f->payload), n = f->len - 4u;
    if (off > p->up_size || p->up_size - off < n) { nak(r, ST_OUT_OF_RANGE); return; }
    if (!hal_model_write(off, f->payload + 4, n)) nak_reason(r, ST_BAD_STATE, off, "model storage write failed");
}

static bool load_stored(proto_t *p, uint32_t size, model_error_t *err)
{
    uint32_t cap;
    const uint8_t *blob = hal_model_region(&cap);
    if (!model_load(&p->model, blob, size, p->cfg.arena_capacity, err)) return false;
    memset(model_arena(), 0, p->model.arena_bytes); /* every session starts from the same state */
    memset(g_input, 0, sizeof g_input);
    p->has_model = true;
    p->model_size = size;
    return true;
}

static void cmd_model_commit(proto_t *p, const frame_t *f, reply_t *r)
{
    if (f->len != 0) { nak(r, ST_BAD_LENGTH); return; }
    if (!p->uploading) { nak(r, ST_BAD_STATE); return; }
    uint32_t cap;
    const uint8_t *blob = hal_model_region(&cap);
    uint32_t crc = crc32_compute(blob, p->up_size);
    if (crc != p->up_crc) { nak_reason(r, ST_MODEL_CRC, crc, "blob CRC differs from MODEL_BEGIN"); return; }
    model_error_t err;
    p->uploading = false;
    if (!load_stored(p, p->up_size, &err)) { nak_reason(r, err.status, err.detail, err.reason); return; }
    p->model_crc = crc;
    hal_model_commit(p->up_size);
    put_u32(r->data, p->model.arena_bytes);
    put_u16(r->data + 4, p->model.n_ops);
    put_u32(r->data + 6, p->model.input_bytes);
    put_u32(r->data + 10, p->model.output_bytes);
    r->len = 14;
}

static void cmd_set_input(proto_t *p, const frame_t *f, reply_t *r)
{
    if (f->len < 5 || f->len > 4 + PROTO_MAX_CHUNK) { nak(r, ST_BAD_LENGTH); return; }
    if (!p->has_model) { nak(r, ST_NO_MODEL); return; }
    uint32_t off = le_u32(f->payload), n = f->len - 4u, size = p->model.input_bytes;
    if (off > size || size - off < n) { nak(r, ST_OUT_OF_RANGE); return; }
    memcpy(g_input + off, f->payload + 4, n);
}

static void cmd_run(proto_t *p, const frame_t *f, reply_t *r)
{
    if (f->len != 5) { nak(r, ST_BAD_LENGTH); return; }
    uint32_t n = le_u32(f->payload);
    uint8_t flags = f->payload[4];
    if (!p->has_model) { nak(r, ST_NO_MODEL); return; }
    if (n < 1 || n > PROTO_MAX_RUNS || (flags & ~1u) != 0) { nak(r, ST_BAD_ARG); return; }
    bool trig = flags & 1u;
    uint64_t total = 0;
    uint32_t mn = UINT32_MAX, mx = 0;
    tensor_info_t in;
    model_tensor(&p->model, p->model.input, &in);
    for (uint32_t i = 0; i < n; i++) {
        /* outside the measured window: the planner may have reused the input's bytes */
        memcpy(model_arena() + in.offset, g_input, p->model.input_bytes);
        if (trig) hal_trigger_set(true);
        uint32_t c0 = hal_cycles();
        runtime_invoke(&p->model);
        uint32_t dt = hal_cycles() - c0; /* unsigned difference survives counter wrap */
        if (trig) hal_trigger_set(false);
        total += dt;
        if (dt < mn) mn = dt;
        if (dt > mx) mx = dt;
    }
    put_u32(r->data, n);
    put_u64(r->data + 4, total);
    put_u32(r->data + 12, mn);
    put_u32(r->data + 16, mx);
    r->len = 20;
}

static void cmd_read_output(proto_t *p, const frame_t *f, reply_t *r)
{
    if (f->len != 6) { nak(r, ST_BAD_LENGTH); return; }
    if (!p->has_model) { nak(r, ST_NO_MODEL); return; }
    uint32_t off = le_u32(f->payload);
    uint16_t n = le_u16(f->payload + 4);
    uint32_t size = p->model.output_bytes;
    if (n > PROTO_MAX_CHUNK) { nak(r, ST_BAD_ARG); return; }
    if (off > size || size - off < n) { nak(r, ST_OUT_OF_RANGE); return; }
    tensor_info_t t;
    model_tensor(&p->model, p->model.output, &t);
    memcpy(r->data, model_arena() + t.offset + off, n);
    r->len = n;
}

/* RESET on the host port: drop an unfinished upload and the activations; a committed model
 * stays (a board port would reboot, which has the same visible effect). */
static void do_reset(proto_t *p)
{
    p->uploading = false;
    if (p->has_model) memset(model_arena(), 0, p->model.arena_bytes);
}

static void dispatch(proto_t *p, const frame_t *f, reply_t *r)
{
    r->status = ST_OK;
    r->len = 0;
    switch (f->kind) {
    case CMD_IDENTIFY: if (f->len) nak(r, ST_BAD_LENGTH); else cmd_identify(p, r); break;
    case CMD_RESET: if (f->len) nak(r, ST_BAD_LENGTH); break; /* takes effect after the reply */
    case CMD_MODEL_BEGIN: cmd_model_begin(p, f, r); break;
    case CMD_MODEL_CHUNK: cmd_model_chunk(p, f, r); break;
    case CMD_MODEL_COMMIT: cmd_model_commit(p, f, r); break;
    case CMD_SET_INPUT: cmd_set_input(p, f, r); break;
    case CMD_RUN: cmd_run(p, f, r); break;
    case CMD_READ_OUTPUT: cmd_read_output(p, f, r); break;
    default: nak(r, ST_UNKNOWN_CMD); break;
    }
}

static void send_bad_frame_nak(void)
{
    uint8_t wire[32];
    size_t n = frame_encode(FRAME_KIND_BAD, FRAME_SEQ_BAD, ST_BAD_FRAME, 0, 0, wire, sizeof wire);
    hal_uart_write(wire, n);
}

static void handle_frame(proto_t *p, const frame_t *f)
{
    if (f->kind == 0 || f->kind >= 0x80) { send_bad_frame_nak(); return; } /* not a request */
    for (int i = 0; i < PROTO_WINDOW; i++) {
        proto_cache_entry_t *e = &p->cache[i];
        if (e->used && e->seq == f->seq && e->req_crc == f->crc) {
            hal_uart_write(e->wire, e->wire_len); /* a retry: answer again, do not re-execute */
            return;
        }
    }
    static reply_t r; /* static: large, and the core is single-threaded */
    dispatch(p, f, &r);
    p->executed++;
    proto_cache_entry_t *e = &p->cache[p->cache_next];
    p->cache_next = (uint8_t)((p->cache_next + 1) % PROTO_WINDOW);
    e->wire_len = (uint16_t)frame_encode((uint8_t)(f->kind | 0x80), f->seq, r.status, r.data, r.len,
                                         e->wire, sizeof e->wire);
    e->seq = f->seq;
    e->req_crc = f->crc;
    e->used = true;
    hal_uart_write(e->wire, e->wire_len);
    if (f->kind == CMD_RESET && r.status == ST_OK) do_reset(p);
}

void proto_init(proto_t *p, const proto_config_t *cfg, uint32_t stored_size)
{
    memset(p, 0, sizeof *p);
    p->cfg = *cfg;
    if (p->cfg.arena_capacity > FW_ARENA_BYTES) p->cfg.arena_capacity = FW_ARENA_BYTES;
    frame_rx_init(&p->rx);
    uint32_t cap;
    const uint8_t *blob = hal_model_region(&cap);
    model_error_t err;
    if (stored_size > 0 && stored_size <= cap && load_stored(p, stored_size, &err))
        p->model_crc = crc32_compute(blob, stored_size);
}

void proto_feed(proto_t *p, const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        frame_t f;
        switch (frame_rx_feed(&p->rx, data[i], &f)) {
        case FRAME_RX_FRAME: handle_frame(p, &f); break;
        case FRAME_RX_BAD: send_bad_frame_nak(); break;
        default: break;
        }
    }
}

void proto_poll(proto_t *p, uint32_t timeout_ms)
{
    uint8_t buf[256];
    size_t n = hal_uart_read(buf, sizeof buf, timeout_ms);
    proto_feed(p, buf, n);
}
