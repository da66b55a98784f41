#include "cost_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cost_model_default(cost_model_t *c)
{
    static const uint64_t mac[9] = {0, 0, 4400, 4400, 3900, 3000, 3000, 3000, 2200};
    memset(c, 0, sizeof *c);
    c->op_milli = 300000;
    c->elem_milli = 2000;
    memcpy(c->mac_milli, mac, sizeof mac);
    c->idle_ua = 2100;
    c->active_ua = 21000;
    c->ua_per_bit = 900;
}

static bool set_key(cost_model_t *c, const char *key, size_t klen, double v)
{
    if (!(v >= 0 && v < 1e9)) return false;
    uint64_t milli = (uint64_t)llround(v * 1000.0);
    uint32_t ua = (uint32_t)llround(v);
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)
    if (KEY("op")) c->op_milli = milli;
    else if (KEY("elem")) c->elem_milli = milli;
    else if (KEY("idle_ua")) c->idle_ua = ua;
    else if (KEY("active_ua")) c->active_ua = ua;
    else if (KEY("ua_per_bit")) c->ua_per_bit = ua;
    else if (klen == 4 && memcmp(key, "mac", 3) == 0 && key[3] >= '2' && key[3] <= '8')
        c->mac_milli[key[3] - '0'] = milli;
    else return false;
#undef KEY
    return true;
}

bool cost_model_parse(cost_model_t *c, const char *spec, const char **bad_key)
{
    const char *s = spec;
    while (*s) {
        const char *eq = strchr(s, '=');
        if (!eq) { *bad_key = s; return false; }
        char *end;
        double v = strtod(eq + 1, &end);
        if (end == eq + 1 || (*end != ',' && *end != 0) || !set_key(c, s, (size_t)(eq - s), v)) {
            *bad_key = s;
            return false;
        }
        s = *end ? end + 1 : end;
    }
    return true;
}

uint64_t cost_model_cycles(const cost_model_t *c, uint8_t bits, uint64_t macs, uint64_t elems)
{
    uint64_t milli = c->op_milli;
    if (bits >= 2 && bits <= 8) milli += macs * c->mac_milli[bits];
    else milli += elems * c->elem_milli;
    return (milli + 500) / 1000;
}

uint32_t cost_model_current(const cost_model_t *c, uint8_t bits)
{
    return (bits >= 2 && bits <= 8) ? c->active_ua + bits * c->ua_per_bit : c->active_ua;
}
