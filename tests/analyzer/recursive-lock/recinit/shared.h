#ifndef SHARED_H
#define SHARED_H
#include <pthread.h>
#include <threads.h>
struct table { pthread_mutex_t mu; int rows; };
extern pthread_mutex_t big_lock;
extern pthread_mutex_t small_lock;
extern mtx_t c11_lock;
void table_init(struct table *t);
void init_all(void);
#endif
