/* A POSIX pseudo-terminal standing in for a USB/UART serial port. The simulator keeps the
 * master; clients (System.IO.Ports, tests) open the slave path. */
#ifndef SIM_PTY_H
#define SIM_PTY_H
#include <stdbool.h>

typedef struct {
    int master;
    int slave_keep; /* held open so output written before a client opens is kept, not lost */
    char path[128];
} sim_pty_t;

/* Opens a raw-mode pty. nonblocking applies to the master. */
bool sim_pty_open(sim_pty_t *p, bool nonblocking);
void sim_pty_close(sim_pty_t *p);
/* Prints the one line "PTY <path>" on stdout and flushes: the launcher's handshake. */
void sim_pty_announce(const sim_pty_t *p);
#endif
