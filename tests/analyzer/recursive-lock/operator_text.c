/* Before LLVM 17 racecheck reads operators from the source text: the run
 * of operator characters just before the right operand, or the first
 * character of a prefix operator.  Each spelling here (tight, spaced,
 * tabs, a comment or a line break in between, macros, member operands)
 * must read as the operator it is, or fall back to the lexer: a misread
 * `=` loses the flag below, a misread `!=` inverts a trylock.  (An
 * assignment spelled inside a macro body is not recognised before LLVM
 * 17: README, known limitations.) */
#include <pthread.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

struct opts { int on; };

#define NOT !

void assign_tight(int c)
{
    int locked=0;
    if (c) { pthread_mutex_lock(&m); locked=1; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_tabs(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked	=	1; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_comment(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked = /* yes */ 1; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_comment_like_op(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked /*=*/ = 1; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_line_break(int c)
{
    int locked = 0;
    if (c) {
        pthread_mutex_lock(&m);
        locked =
            1;
    }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* Not an assignment: `locked + 1` leaves the flag 0, so the unlock is
 * skipped and the lock below is taken twice. */
void plus_is_not_assign(int c)
{
    int locked = 0, x;
    if (c) { pthread_mutex_lock(&m); x = locked +1; (void)x; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

void eq_assign_is_not_assign(int c)
{
    int locked = 0, x;
    if (c) { pthread_mutex_lock(&m); x = locked == 1; (void)x; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

void ne_comment(void)
{
    if (pthread_mutex_trylock(&m) != /* busy */ 0)
        return;
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

void ne_tight(void)
{
    if (pthread_mutex_trylock(&m)!=0)
        return;
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

void eq_tight(void)
{
    if (pthread_mutex_trylock(&m)==0)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void eq_negative_operand(void)
{
    if (pthread_mutex_trylock(&m) == -0)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void not_spaced(void)
{
    if (! pthread_mutex_trylock(&m))
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void not_macro(void)
{
    if (NOT pthread_mutex_trylock(&m))
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void and_comment(int c)
{
    if (c && /* both */ pthread_mutex_trylock(&m) == 0)
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void member_operand(struct opts *o, int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked = o->on; locked = 1; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}
