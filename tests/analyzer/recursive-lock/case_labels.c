/* Case labels that libclang shows as a node whose child has the node's own
 * identity (the ConstantExpr around a parenthesised macro constant): the
 * analysis must terminate, and still read the label's value. */
#include <pthread.h>

#define LOG_ERR (1 << 3)
#define LOG_INFO (1 << 0)
#define OK (0)

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

void relock_in_case(int level)
{
    pthread_mutex_lock(&m);
    switch (level) {
    case LOG_ERR:
        pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
        break;
    case (LOG_INFO):
        break;
    }
    pthread_mutex_unlock(&m);
}

void trylock_case_macro(void)
{
    switch (pthread_mutex_trylock(&m)) {
    case OK:
        pthread_mutex_unlock(&m);
        break;
    default:
        break;
    }
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
