/* copylock: every kind of copy site, on a struct that holds a mutex. */
#include <pthread.h>
#include <string.h>

typedef struct queue {
    pthread_mutex_t lock;
    int items[16];
    int n;
} queue_t;

queue_t global_q;

/* By-value parameters: in prototypes and in definitions. */
void take(queue_t q);                  // want: copylock "parameter 'q' passes lock by value: 'queue_t' contains 'pthread_mutex_t' \(field 'lock'\)"
void take(queue_t q) { (void)q; }      // want: copylock "parameter 'q'"
void take_ptr(queue_t *q) { (void)q; }
void take_const_ptr(const queue_t *q) { (void)q; }

queue_t make(void);

/* Returns of lvalues. */
queue_t ret_global(void) { return global_q; }          // want: copylock "return copies lock value"
queue_t ret_deref(queue_t *p) { return *p; }           // want: copylock "return copies"
queue_t ret_param(queue_t q) { return q; }             // want: copylock "parameter 'q'" copylock "return copies"
queue_t ret_paren(queue_t *p) { return (*p); }         // want: copylock "return copies"
queue_t ret_index(queue_t *a) { return a[2]; }         // want: copylock "return copies"

void sites(queue_t *p, queue_t *q, queue_t arr[4], int i)
{
    queue_t a = *p;                    // want: copylock "initialisation of 'a' copies lock value"
    queue_t b = global_q;              // want: copylock "initialisation of 'b'"
    queue_t c = arr[i];                // want: copylock "initialisation of 'c'"
    queue_t d = a;                     // want: copylock "initialisation of 'd'"

    *p = *q;                           // want: copylock "assignment copies lock value"
    a = b;                             // want: copylock "assignment"
    arr[i] = a;                        // want: copylock "assignment"
    global_q = *p;                     // want: copylock "assignment"
    a = b = c;                         // want: copylock "assignment" copylock "assignment"
    a = i ? b : c;                     // want: copylock "assignment"

    take(*p);                          // want: copylock "call of 'take' copies lock value"
    take(a);                           // want: copylock "call of 'take'"
    take(arr[0]);                      // want: copylock "call of 'take'"
    take_ptr(p);
    take_ptr(&a);

    memcpy(p, q, sizeof *p);           // want: copylock "'memcpy' copies lock value \(source\)"
    memmove(&a, &b, sizeof a);         // want: copylock "'memmove' copies lock value \(source\)"
    __builtin_memcpy(p, &a, sizeof a); // want: copylock "'__builtin_memcpy' copies"
    memcpy(arr, p, sizeof *p);         // want: copylock "'memcpy' copies"
    char raw[sizeof(queue_t)];
    memcpy(raw, p, sizeof raw);        // want: copylock "\(source\)"
    memcpy(p, raw, sizeof raw);        // want: copylock "\(destination\)"

    queue_t list[2] = { *p, global_q };  // want: copylock "initialiser element" copylock "initialiser element"
    (void)list; (void)d;
}

/* A function type's parameters are no copy site; the call through it is.
 * Array parameters are pointers. */
void through_fnptr(void (*fn)(queue_t), queue_t *p, queue_t many[2])
{
    fn(*p);                            // want: copylock "call copies lock value"
}
