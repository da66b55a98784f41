#include "frame.h"

#include "crc32.h"
#include "le.h"

size_t frame_encode(uint8_t kind, uint16_t seq, uint8_t status, const uint8_t *payload,
                    uint16_t len, uint8_t *out, size_t cap)
{
    uint8_t raw[FRAME_MAX];
    if (len > FRAME_MAX_PAYLOAD) return 0;
    raw[0] = FRAME_VERSION;
    raw[1] = kind;
    put_u16(raw + 2, seq);
    raw[4] = status;
    raw[5] = 0;
    put_u16(raw + 6, len);
    for (uint16_t i = 0; i < len; i++) raw[FRAME_HEADER + i] = payload[i];
    size_t body = FRAME_HEADER + (size_t)len;
    put_u32(raw + body, crc32_compute(raw, body));
    if (cap < 1) return 0;
    size_t n = cobs_encode(raw, body + FRAME_CRC, out, cap - 1);
    if (n == 0) return 0;
    out[n] = 0;
    return n + 1;
}

void frame_rx_init(frame_rx_t *rx)
{
    rx->n = 0;
    rx->overflow = false;
}

static frame_rx_result_t finish(frame_rx_t *rx, frame_t *out)
{
    size_t n = cobs_decode(rx->enc, rx->n, rx->dec, sizeof rx->dec);
    if (n == COBS_ERROR || n < FRAME_HEADER + FRAME_CRC) return FRAME_RX_BAD;
    const uint8_t *d = rx->dec;
    uint16_t len = le_u16(d + 6);
    if (d[0] != FRAME_VERSION || len > FRAME_MAX_PAYLOAD ||
        (size_t)len + FRAME_HEADER + FRAME_CRC != n)
        return FRAME_RX_BAD;
    uint32_t crc = le_u32(d + FRAME_HEADER + len);
    if (crc32_compute(d, FRAME_HEADER + (size_t)len) != crc) return FRAME_RX_BAD;
    out->kind = d[1];
    out->seq = le_u16(d + 2);
    out->status = d[4];
    out->len = len;
    out->payload = d + FRAME_HEADER;
    out->crc = crc;
    return FRAME_RX_FRAME;
}

frame_rx_result_t frame_rx_feed(frame_rx_t *rx, uint8_t byte, frame_t *out)
{
    if (byte != 0) {
        if (rx->n >= sizeof rx->enc) rx->overflow = true;
        else if (!rx->overflow) rx->enc[rx->n++] = byte;
        return FRAME_RX_NONE;
    }
    bool overflow = rx->overflow;
    size_t n = rx->n;
    frame_rx_init(rx);
    if (overflow) return FRAME_RX_BAD;
    if (n == 0) return FRAME_RX_NONE;
    rx->n = n; /* finish() reads enc[0..n) */
    frame_rx_result_t r = finish(rx, out);
    rx->n = 0;
    return r;
}
