#include "cobs.h"

size_t cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    if (cap == 0) return 0;
    size_t code_pos = 0, o = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == 0) {
            out[code_pos] = code;
            code_pos = o++;
            code = 1;
            if (code_pos >= cap) return 0;
        } else {
            if (o >= cap) return 0;
            out[o++] = in[i];
            if (++code == 0xFF) {
                /* a full 254-byte block: close it without an implied zero */
                out[code_pos] = code;
                code_pos = o++;
                code = 1;
                if (code_pos >= cap) return 0;
            }
        }
    }
    out[code_pos] = code;
    return o;
}

size_t cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i++];
        if (code == 0) return COBS_ERROR;
        for (uint8_t k = 1; k < code; k++) {
            if (i >= n || in[i] == 0 || o >= cap) return COBS_ERROR;
            out[o++] = in[i++];
        }
        /* an implied zero follows every block except a full one and the last */
        if (code != 0xFF && i < n) {
            if (o >= cap) return COBS_ERROR;
            out[o++] = 0;
        }
    }
    return o;
}
