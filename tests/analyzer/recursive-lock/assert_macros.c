/* Lock and unlock results checked by assertion macros whose `!` is in the
 * macro's body (libgit2's GIT_ASSERT under NDEBUG).  Before LLVM 17 that
 * operator cannot be read; taken as unknown, a failed unlock's early return
 * looked like a return still holding the lock, and every caller testing
 * the result relocked.  A real relock in the same shape is still found. */
#include <pthread.h>

struct pb { pthread_mutex_t progress_mutex; int n; };

#define git_mutex_lock(a) pthread_mutex_lock(a)
#define git_mutex_unlock(a) pthread_mutex_unlock(a)
#define MUTEX_OP(pb, mtx, op) git_mutex_##op(&(pb)->mtx)
#define progress_lock(pb) MUTEX_OP(pb, progress_mutex, lock)
#define progress_unlock(pb) MUTEX_OP(pb, progress_mutex, unlock)

void set_error(int code, const char *fmt, ...);
#define ASSERT__WITH_RETVAL(expr, code, msg, fail) do { \
        if (!(expr)) { \
            set_error(code, "%s: '%s'", msg, #expr); \
            return fail; \
        } \
    } while (0)
#define ASSERT_WITH_RETVAL(expr, fail) ASSERT__WITH_RETVAL(expr, 1, "internal", fail)
#define ASSERT(expr) ASSERT_WITH_RETVAL(expr, -1)
#define CHECK_NOT(expr) if (!!(expr)) return -2

static int step(struct pb *pb)
{
    ASSERT(progress_lock(pb) == 0);
    if (pb->n > 3) {
        ASSERT(progress_unlock(pb) == 0);
        return 1;
    }
    pb->n++;
    ASSERT(progress_unlock(pb) == 0);
    return 0;
}

void *worker(void *arg)
{
    struct pb *pb = arg;
    while (pb->n) {
        if (step(pb) < 0) {
            ASSERT_WITH_RETVAL(progress_lock(pb) == 0, NULL);
            pb->n = 0;
            ASSERT_WITH_RETVAL(progress_unlock(pb) == 0, NULL);
            return NULL;
        }
        ASSERT_WITH_RETVAL(progress_lock(pb) == 0, NULL);
        pb->n--;
        ASSERT_WITH_RETVAL(progress_unlock(pb) == 0, NULL);
    }
    return NULL;
}

/* `!!` in a macro's body: the same as the value. */
int twice(struct pb *pb)
{
    CHECK_NOT(progress_lock(pb) != 0);
    pb->n++;
    progress_unlock(pb);
    return 0;
}

int caller(struct pb *pb)
{
    if (twice(pb) < 0)
        return progress_lock(pb);
    return 0;
}

/* The shape does not hide a real relock. */
int relock(struct pb *pb)
{
    ASSERT(progress_lock(pb) == 0);
    ASSERT(progress_lock(pb) == 0);  // want: recursive-lock "relocking 'pb->progress_mutex'"
    ASSERT(progress_unlock(pb) == 0);
    return 0;
}
