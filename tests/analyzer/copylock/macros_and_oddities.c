/* copylock: copies hidden in macros, old-style definitions, comma and
 * conditional operators, variadic calls, compound literals, statics. */
#include <pthread.h>
#include <stdio.h>

typedef struct { pthread_mutex_t lock; int n; } queue_t;

#define ASSIGN(a, b) ((a) = (b))
#define GET(p) (*(p))
#define COPY_OF(x) (x)

int old_style(q)
    queue_t q;                          // want: copylock "parameter 'q'"
{
    return q.n;
}

queue_t make(void);

void oddities(queue_t *p, queue_t *q, int i)
{
    ASSIGN(*p, *q);                     // want: copylock "assignment"
    queue_t a = GET(p);                 // want: copylock "initialisation of 'a'"
    queue_t b = COPY_OF(*q);            // want: copylock "initialisation of 'b'"
    a = (i, *q);                        // want: copylock "assignment"
    a = (i, make());
    a = i ? make() : (queue_t){ .n = 1 };
    a = *(i ? p : q);                   // want: copylock "assignment"
    printf("%d\n", *p);                 // want: copylock "call of 'printf'"
    queue_t *lit = &(queue_t){ .lock = p->lock };  // want: copylock "initialiser element copies lock value: 'pthread_mutex_t'"
    static pthread_mutex_t st;
    pthread_mutex_t local = st;         // want: copylock "initialisation of 'local'"
    extern queue_t table[];
    b = table[3];                       // want: copylock "assignment"
    (void)lit; (void)local;
}
