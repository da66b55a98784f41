/* System clock and the DWT cycle counter (CYCCNT counts core clocks; wraps every 53 s at 80 MHz). */
#ifndef FW_NUCLEO_CLOCK_H
#define FW_NUCLEO_CLOCK_H
void clock_init_80mhz(void);
void cycle_counter_init(void);
#endif
