/* Locking decided by a global flag, tested again after calls:
 * `if (threaded) lock(); ... if (threaded) unlock();` (redis-benchmark's
 * `config.num_threads`).  The two tests agree unless something between
 * them can change the flag: an assignment, a callee that assigns it (at
 * any depth), a call given its address, a call through a pointer that
 * can reach a function assigning it (one whose address the program
 * takes). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int threaded;
struct opts { int locking; int verbose; };
struct config { int num_threads; struct opts o; pthread_mutex_t m; } config;
static struct config saved;

void elsewhere(void);          /* not defined in the program */
void (*hook)(void);

static void log_it(int x) { printf("%d\n", x); }
static void log_twice(int x) { log_it(x); log_it(x + 1); }
static void set_threaded(void) { threaded = 1; }
static void set_deep(void) { set_threaded(); }
static void set_field(void) { config.num_threads = 4; }
static void set_other_field(void) { config.o.verbose = 1; }
static void reset(struct config *c) { memset(c, 0, sizeof *c); }

/* ---- the flag survives: no report ------------------------------------ */

void plain_flag_library_call(int x)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    printf("%d\n", x);
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
}

void plain_flag_helpers(int x)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    log_twice(x);
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
}

void field_flag(int x)
{
    if (config.num_threads)
        pthread_mutex_lock(&config.m);
    x++;
    if (config.num_threads)
        pthread_mutex_unlock(&config.m);
    pthread_mutex_lock(&config.m);
    pthread_mutex_unlock(&config.m);
}

void field_flag_helpers(int x)
{
    if (config.num_threads)
        pthread_mutex_lock(&config.m);
    log_twice(x);
    set_other_field();
    if (config.num_threads)
        pthread_mutex_unlock(&config.m);
    pthread_mutex_lock(&config.m);
    pthread_mutex_unlock(&config.m);
}

/* A function the program does not define changes no global it is not
 * given the address of (a library's, or one in a file left out of this
 * run: a run over some files reports what the whole run does). */
void undefined_callee(void)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    elsewhere();
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
}

void nested_field_flag(void)
{
    if (config.o.locking)
        pthread_mutex_lock(&mu);
    log_it(1);
    if (config.o.locking)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
}

/* The correlation carries through a callee's summary. */
static void work(int x)
{
    if (config.num_threads)
        pthread_mutex_lock(&config.m);
    log_it(x);
    if (config.num_threads)
        pthread_mutex_unlock(&config.m);
}

void twice(void)
{
    work(1);
    work(2);
}

/* ---- something may change the flag: reported ------------------------- */

void flag_assigned_by_callee(void)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    set_threaded();
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void flag_assigned_deeper(void)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    set_deep();
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void field_assigned_by_callee(void)
{
    if (config.num_threads)
        pthread_mutex_lock(&config.m);
    set_field();
    if (config.num_threads)
        pthread_mutex_unlock(&config.m);
    pthread_mutex_lock(&config.m);  // want: recursive-lock "'config.m'"
    pthread_mutex_unlock(&config.m);
}

void whole_struct_assigned(void)
{
    if (config.num_threads)
        pthread_mutex_lock(&mu);
    config = saved;  // want: copylock "assignment copies"
    if (config.num_threads)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void inner_struct_assigned(struct opts o)
{
    if (config.o.locking)
        pthread_mutex_lock(&mu);
    config.o = o;
    if (config.o.locking)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void address_given_to_library(void)
{
    if (config.num_threads)
        pthread_mutex_lock(&mu);
    memset(&config, 0, sizeof config);
    if (config.num_threads)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void address_given_to_callee(void)
{
    if (config.num_threads)
        pthread_mutex_lock(&mu);
    reset(&config);
    if (config.num_threads)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

/* A call through a pointer reaches a function whose address is taken:
 * on_signal (taken below), which changes `stopping` but not `threaded`. */
static int stopping;
static void on_signal(void) { stopping = 1; }
void install(void) { hook = on_signal; }

void through_pointer_changes_it(void)
{
    if (stopping)
        pthread_mutex_lock(&mu);
    hook();
    if (stopping)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

void through_pointer_keeps_it(void)
{
    if (threaded)
        pthread_mutex_lock(&mu);
    hook();
    if (threaded)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
}


/* A field reached through a pointer may be any object's: not tracked. */
void field_through_pointer(struct config *c)
{
    if (c->num_threads)
        pthread_mutex_lock(&mu);
    if (c->num_threads)
        pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu);  // want: recursive-lock "'mu'"
    pthread_mutex_unlock(&mu);
}

/* redis-benchmark's freeClient: an atomic counter of the same global
 * changes between the tests (here and in a callee), the flag does not. */
struct stats { int threads; _Atomic int live; pthread_mutex_t m; } stats;
static void dec_live(void) { stats.live--; }

static void drop_client(void)
{
    if (stats.threads)
        pthread_mutex_lock(&stats.m);
    stats.live--;
    dec_live();
    log_it(stats.live);
    if (stats.threads)
        pthread_mutex_unlock(&stats.m);
}

void drop_all(int n)
{
    while (n-- > 0)
        drop_client();
}
