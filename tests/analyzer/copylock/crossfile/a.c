#include "queue.h"
int counter_peek(counter c)       // want: copylock "parameter 'c'"
{
    return c.n;
}
