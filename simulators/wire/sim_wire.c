#define _DEFAULT_SOURCE
#include "sim_wire.h"

#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WIRE_BYTES (sizeof(sim_wire_header_t) + (size_t)SIM_WIRE_CAPACITY * sizeof(sim_wire_event_t))

uint64_t sim_wire_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool sim_wire_open(sim_wire_t *w, const char *path)
{
    memset(w, 0, sizeof *w);
    w->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (w->fd < 0) return false;
    /* the lock makes "check magic, initialise" atomic against the other process */
    flock(w->fd, LOCK_EX);
    struct stat st;
    if (fstat(w->fd, &st) != 0 || ((size_t)st.st_size < WIRE_BYTES && ftruncate(w->fd, (off_t)WIRE_BYTES) != 0)) {
        flock(w->fd, LOCK_UN);
        close(w->fd);
        return false;
    }
    void *map = mmap(0, WIRE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, 0);
    if (map == MAP_FAILED) {
        flock(w->fd, LOCK_UN);
        close(w->fd);
        return false;
    }
    w->hdr = map;
    w->ring = (sim_wire_event_t *)((uint8_t *)map + sizeof(sim_wire_header_t));
    if (w->hdr->magic != SIM_WIRE_MAGIC || w->hdr->version != SIM_WIRE_VERSION ||
        w->hdr->capacity != SIM_WIRE_CAPACITY) {
        w->hdr->version = SIM_WIRE_VERSION;
        w->hdr->capacity = SIM_WIRE_CAPACITY;
        atomic_store(&w->hdr->head, 0);
        atomic_thread_fence(memory_order_seq_cst);
        w->hdr->magic = SIM_WIRE_MAGIC;
    }
    flock(w->fd, LOCK_UN);
    return true;
}

void sim_wire_close(sim_wire_t *w)
{
    if (w->hdr) munmap(w->hdr, WIRE_BYTES);
    if (w->fd >= 0) close(w->fd);
    w->hdr = 0;
    w->fd = -1;
}

void sim_wire_append(sim_wire_t *w, uint64_t t_ns, uint32_t trigger, uint32_t current_ua)
{
    uint64_t h = atomic_load_explicit(&w->hdr->head, memory_order_relaxed);
    sim_wire_event_t *e = &w->ring[h % SIM_WIRE_CAPACITY];
    e->t_ns = t_ns;
    e->trigger = trigger;
    e->current_ua = current_ua;
    atomic_store_explicit(&w->hdr->head, h + 1, memory_order_release);
}

bool sim_wire_seek_latest(sim_wire_t *w, sim_wire_event_t *last)
{
    uint64_t h = atomic_load_explicit(&w->hdr->head, memory_order_acquire);
    w->tail = h;
    if (h == 0) return false;
    *last = w->ring[(h - 1) % SIM_WIRE_CAPACITY];
    return true;
}

bool sim_wire_next(sim_wire_t *w, sim_wire_event_t *ev)
{
    uint64_t h = atomic_load_explicit(&w->hdr->head, memory_order_acquire);
    if (h < w->tail) w->tail = h; /* the writer re-initialised the file: follow it */
    if (h == w->tail) return false;
    if (h - w->tail > SIM_WIRE_CAPACITY) w->tail = h - SIM_WIRE_CAPACITY;
    *ev = w->ring[w->tail % SIM_WIRE_CAPACITY];
    w->tail++;
    return true;
}
