#define _DEFAULT_SOURCE /* cfmakeraw, posix_openpt under -std=c11 */
#define _XOPEN_SOURCE 600
#include "sim_pty.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

bool sim_pty_open(sim_pty_t *p, bool nonblocking)
{
    p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p->master < 0) return false;
    if (grantpt(p->master) != 0 || unlockpt(p->master) != 0) goto fail;
    const char *name = ptsname(p->master);
    if (!name || strlen(name) >= sizeof p->path) goto fail;
    strcpy(p->path, name);
    p->slave_keep = open(p->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p->slave_keep < 0) goto fail;
    struct termios t;
    if (tcgetattr(p->slave_keep, &t) != 0) goto fail;
    cfmakeraw(&t); /* binary protocol: no echo, no CR/LF mangling, no signals */
    if (tcsetattr(p->slave_keep, TCSANOW, &t) != 0) goto fail;
    if (nonblocking) fcntl(p->master, F_SETFL, fcntl(p->master, F_GETFL) | O_NONBLOCK);
    return true;
fail:
    close(p->master);
    return false;
}

void sim_pty_close(sim_pty_t *p)
{
    close(p->slave_keep);
    close(p->master);
}

void sim_pty_announce(const sim_pty_t *p)
{
    printf("PTY %s\n", p->path);
    fflush(stdout);
}
