/* Lock kinds: rwlocks (write then read/write deadlock, read then read does
 * not), spinlocks, C11 mtx_plain vs mtx_recursive, aliasing arguments. */
#include <pthread.h>
#include <threads.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static mtx_t plain, rec, timed_rec;

void write_then_read(void)
{
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_rdlock(&rw);  // want: recursive-lock "relocking 'rw'"
}

void write_then_write(void)
{
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_wrlock(&rw);  // want: recursive-lock
}

void read_then_write(void)
{
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_wrlock(&rw);  // want: recursive-lock
}

void read_then_read(void)
{
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_unlock(&rw);
}

static void reader(void) { pthread_rwlock_rdlock(&rw); pthread_rwlock_unlock(&rw); }

void read_calls_reader(void)
{
    pthread_rwlock_rdlock(&rw);
    reader();
    pthread_rwlock_unlock(&rw);
}

void write_calls_reader(void)
{
    pthread_rwlock_wrlock(&rw);
    reader();  // want: recursive-lock "call to 'reader' acquires 'rw'"
    pthread_rwlock_unlock(&rw);
}

void spinning(void)
{
    pthread_spin_lock(&spin);
    pthread_spin_lock(&spin);  // want: recursive-lock "relocking 'spin'"
}

void spin_ok(void)
{
    pthread_spin_lock(&spin);
    pthread_spin_unlock(&spin);
    pthread_spin_lock(&spin);
    pthread_spin_unlock(&spin);
}

void c11_init(void)
{
    mtx_init(&plain, mtx_plain);
    mtx_init(&rec, mtx_plain | mtx_recursive);
    mtx_init(&timed_rec, mtx_timed | mtx_recursive);
}

void c11_plain(void)
{
    mtx_lock(&plain);
    mtx_lock(&plain);  // want: recursive-lock "relocking 'plain'"
}

void c11_recursive(void)
{
    mtx_lock(&rec);
    mtx_lock(&rec);
    mtx_unlock(&rec);
    mtx_unlock(&rec);
    mtx_lock(&timed_rec);
    mtx_lock(&timed_rec);
}

struct account { pthread_mutex_t mu; long balance; };

void transfer(struct account *from, struct account *to, long amount)
{
    pthread_mutex_lock(&from->mu);
    pthread_mutex_lock(&to->mu);
    from->balance -= amount;
    to->balance += amount;
    pthread_mutex_unlock(&to->mu);
    pthread_mutex_unlock(&from->mu);
}

static void move(struct account *x, struct account *y) { transfer(x, y, 1); }

void aliasing(struct account *a, struct account *b)
{
    transfer(a, b, 10);
    transfer(a, a, 10);  // want: recursive-lock "call to 'transfer' acquires 'a->mu' twice: its arguments name the same lock"
    move(b, b);  // want: recursive-lock "call to 'move' acquires 'b->mu'.* twice"
    move(a, b);
}
