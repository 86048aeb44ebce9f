/* Functions declared noreturn and never defined here: the path through a
 * call to one ends.  C11's _Noreturn is an attribute on the declaration
 * (the function type does not show it), spelled directly, through
 * <stdnoreturn.h>'s macro or through a project's own; attributes that are
 * something else, from macros too, do not end the path. */
#include <pthread.h>
#include <stdnoreturn.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

#define PROJECT_NORETURN _Noreturn
#define PROJECT_INLINE_API __attribute__((unused, cold)) __attribute__((visibility("default")))

_Noreturn void die_c11(void);
noreturn void die_stdnoreturn(void);
PROJECT_NORETURN void die_project(void);
void die_gnu(void) __attribute__((__noreturn__));
PROJECT_INLINE_API void only_cold(void);
void plain(void);

void through_c11(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        die_c11();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void through_stdnoreturn(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        die_stdnoreturn();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void through_project_macro(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        die_project();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void through_gnu(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        die_gnu();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void through_other_attributes(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        only_cold();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
    pthread_mutex_unlock(&m);
}

void through_plain(int k)
{
    pthread_mutex_lock(&m);
    if (k)
        plain();
    else
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm'"
    pthread_mutex_unlock(&m);
}
