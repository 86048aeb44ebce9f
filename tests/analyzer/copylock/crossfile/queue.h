/* A header shared by two files: its finding is reported once. */
#include <pthread.h>
typedef struct { pthread_mutex_t mu; int n; } counter;
int counter_peek(counter c);      // want: copylock "parameter 'c' passes lock by value"
