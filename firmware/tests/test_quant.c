/* quant.h against hand-computed values (see MODEL_FORMAT.md for the definitions). */
#include "check.h"
#include "quant.h"

int main(void)
{
    const int32_t half = 1 << 30; /* 0.5 in Q31 */
    /* SRDHM */
    CHECK_EQ(q_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);           /* the one saturating case */
    CHECK_EQ(q_srdhm(INT32_MIN, INT32_MAX), -2147483647);
    CHECK_EQ(q_srdhm(half, half), 1 << 29);                       /* 0.5 * 0.5 = 0.25 */
    CHECK_EQ(q_srdhm(5, half), 3);                                /* 2.5 -> 3 */
    CHECK_EQ(q_srdhm(-5, half), -2);                              /* -2.5 -> -2 (gemmlowp nudge) */
    CHECK_EQ(q_srdhm(-105, half), -52);
    CHECK_EQ(q_srdhm(-6, half), -3);
    CHECK_EQ(q_srdhm(0, INT32_MIN), 0);
    CHECK_EQ(q_srdhm(INT32_MAX, INT32_MAX), 2147483646);
    /* RDPOT: half away from zero */
    CHECK_EQ(q_rdpot(5, 1), 3);
    CHECK_EQ(q_rdpot(-5, 1), -3);
    CHECK_EQ(q_rdpot(-4, 1), -2);
    CHECK_EQ(q_rdpot(-660, 4), -41);  /* -41.25 */
    CHECK_EQ(q_rdpot(-7, 1), -4);     /* -3.5 */
    CHECK_EQ(q_rdpot(7, 0), 7);
    CHECK_EQ(q_rdpot(-7, 0), -7);
    CHECK_EQ(q_rdpot(INT32_MIN, 31), -1);
    CHECK_EQ(q_rdpot(INT32_MAX, 31), 1);
    CHECK_EQ(q_rdpot(1 << 30, 31), 1);     /* 0.5 -> 1 */
    CHECK_EQ(q_rdpot(-(1 << 30), 31), -1); /* -0.5 -> -1 */
    CHECK_EQ(q_rdpot((1 << 30) - 1, 31), 0);
    /* MBQM */
    CHECK_EQ(q_mbqm(100, half, 1), 100);        /* 0.5 * 2 */
    CHECK_EQ(q_mbqm(3, 1518500250, 0), 2);      /* 3 * 0.7071 = 2.12 */
    CHECK_EQ(q_mbqm(-7, half, -1), -2);         /* -7/4 = -1.75: SRDHM -> -3, RDPOT(-3,1) = -2 */
    CHECK_EQ(q_mbqm(INT32_MIN, INT32_MIN, 0), INT32_MAX);
    CHECK_EQ(q_mbqm(1000, half, -31), 0);
    CHECK_EQ(q_mbqm(1, half, 30), 1 << 29);    /* 1 * 0.5 * 2^30 */
    CHECK_EQ(q_mbqm(-1320, half, -4), -41);
    /* clamp */
    CHECK_EQ(q_clamp(200, -128, 127), 127);
    CHECK_EQ(q_clamp(-200, -128, 127), -128);
    CHECK_EQ(q_clamp(5, -128, 127), 5);
    return test_end("quant");
}
