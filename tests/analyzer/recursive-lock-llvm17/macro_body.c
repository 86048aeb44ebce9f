/* With libclang 17 and later, operators come from libclang's API for them
 * (clang_getBinaryOperatorKind): an operator spelled inside a macro's body
 * is recognised like any other.  Before 17 racecheck reads operators from
 * the source text, where a macro body's operator is out of sight, and both
 * functions below get a false relock report (README, known limitations).
 * This group runs only against libclang 17 or later (CMakeLists.txt). */
#include <pthread.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

#define MARK(v) v = 1
#define CHECKED(x) ((x) != 0)

/* The flag is set by `=` in MARK's body: it guards the unlock. */
void assign_in_macro_body(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); MARK(locked); }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* The trylock's result is tested by `!=` in CHECKED's body. */
void test_in_macro_body(void)
{
    int locked = pthread_mutex_trylock(&m) == 0;
    if (CHECKED(locked)) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* The flag set the same way, with the lock really held twice: reported
 * (before 17 the flag reads as still 0, and the relock is missed). */
void relock_after_macro_flag(int c)
{
    int locked = 0;
    pthread_mutex_lock(&m);
    MARK(locked);
    if (c && locked)
        pthread_mutex_lock(&m);          // want: recursive-lock
    pthread_mutex_unlock(&m);
}
