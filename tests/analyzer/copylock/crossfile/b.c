#include "queue.h"
int reader(counter *c)
{
    return counter_peek(*c);      // want: copylock "call of 'counter_peek' copies lock value"
}
