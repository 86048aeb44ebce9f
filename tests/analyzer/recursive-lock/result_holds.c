/* A function whose returned value tells whether it returns holding a
 * lock, and callers that test it (libgit2's runtime.c and mwindow.c). */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
int lookup(const char *);
int name_of(const char *);

/* ---- `return c ? x : y;`: held iff it returns 0 ---------------------- */

static int init_lock(void)
{
    return pthread_mutex_lock(&m) == 0 ? 0 : -1;
}

static int init_unlock(void)
{
    return pthread_mutex_unlock(&m) == 0 ? 0 : -1;
}

int init_count(int *count)
{
    if (init_lock() < 0)
        return -1;
    (*count)++;
    if (init_unlock() < 0)
        return -1;
    return 0;
}

void init_twice(int *count)
{
    init_count(count);
    init_count(count);
}

void lock_without_testing(void)
{
    init_lock();
    init_lock();  // want: recursive-lock "call to 'init_lock' acquires 'm'"
}

/* ---- held only on one error path --------------------------------------
 * Releases and returns 0 on success, returns errors with and without the
 * lock: held only if it returns non-zero. */
int get_pack(const char *path)
{
    int error;
    if ((error = name_of(path)) != 0)
        return error;
    pthread_mutex_lock(&n);
    error = lookup(path);
    if (error == 0) {
        pthread_mutex_unlock(&n);
        return 0;
    } else if (error != -3) {
        return error;  /* still holding n */
    }
    pthread_mutex_unlock(&n);
    return -3;
}

int two_packs(void)
{
    int error;
    if ((error = get_pack("a")) != 0)
        return error;
    return get_pack("b");
}

int ignores_error(void)
{
    get_pack("a");
    return get_pack("b");  // want: recursive-lock "call to 'get_pack' acquires 'n'"
}
