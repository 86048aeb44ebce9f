/* A recursive mutex handed to a thread function through pthread_create's
 * void * argument: the callee sees a parameter, which may be it. */
#include <pthread.h>
#include <stddef.h>
pthread_mutex_t mut;
static void *t_fun(void *arg)
{
    pthread_mutex_t *m = arg;
    pthread_mutex_lock(m);
    pthread_mutex_lock(m);
    pthread_mutex_unlock(m);
    pthread_mutex_unlock(m);
    return NULL;
}
static void *t_fun2(void *arg)
{
    pthread_mutex_lock((pthread_mutex_t *)arg);
    pthread_mutex_lock((pthread_mutex_t *)arg);
    pthread_mutex_unlock((pthread_mutex_t *)arg);
    pthread_mutex_unlock((pthread_mutex_t *)arg);
    return NULL;
}
int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&mut, &attr);
    pthread_t id, id2;
    pthread_create(&id, NULL, t_fun, &mut);
    pthread_create(&id2, NULL, t_fun2, &mut);
    pthread_join(id, NULL);
    pthread_join(id2, NULL);
    return 0;
}
