/* The locks are made recursive here; they are used in use.c. */
#include "shared.h"

pthread_mutex_t big_lock;
pthread_mutex_t small_lock = PTHREAD_MUTEX_INITIALIZER;
mtx_t c11_lock;

static void make_recursive(pthread_mutex_t *m)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
}

void table_init(struct table *t)
{
    make_recursive(&t->mu);
}

void init_all(void)
{
    make_recursive(&big_lock);
    mtx_init(&c11_lock, mtx_recursive);
}
