/* Before LLVM 17 racecheck reads operators from the source text: the run
 * of operator characters just before the right operand, or the first
 * character of a prefix operator.  Each spelling here (tight, spaced,
 * tabs, a comment, a line break or a directive in between, macros, member
 * operands) must read as the operator it is, or fall back to the lexer: a
 * misread `=` loses the flag below, a misread `!=` inverts a trylock.  (An
 * assignment spelled inside a macro body is not recognised before LLVM
 * 17: README, known limitations.) */
#include <pthread.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

struct opts { int on; };

#define NOT !
#define SAME(x) (x)
#define ONE 1

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

void member_value(struct opts *o, int c)
{
    int locked = 0;
    o->on = 1;
    if (c) { pthread_mutex_lock(&m); locked = o->on; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

/* The right operand begins a macro's expansion: the operator is the text
 * before the macro's name. */
void assign_macro_value(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked = SAME(1); }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_object_macro(int c)
{
    int locked = 0;
    if (c) { pthread_mutex_lock(&m); locked =
                 ONE; }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* Both operands in one macro argument: the operator is in the argument's
 * text. */
void ne_in_macro_argument(void)
{
    if (SAME(pthread_mutex_trylock(&m) != 0))
        return;
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}

void eq_in_macro_argument(void)
{
    if (SAME(pthread_mutex_trylock(&m) ==
             0))
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* Operator characters ending a directive or a line comment, just before
 * the operand, are not the operator. */
void assign_after_pragma(int c)
{
    int locked = 0;
    if (c) {
        pthread_mutex_lock(&m);
        locked =
#pragma racecheck_test_ignored >
            1;
    }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

void assign_after_line_comment(int c)
{
    int locked = 0;
    if (c) {
        pthread_mutex_lock(&m);
        locked = // and then >
            1;
    }
    if (locked) pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
}

/* `&&` in a macro argument, its right operand a member access (which
 * libclang locates at the member's name): inside, the trylock failed, so
 * taking the lock there is no relock... */
void and_member_failed_in_macro_argument(struct opts *o)
{
    if (SAME(pthread_mutex_trylock(&m) != 0 && o->on)) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
}

/* ... and where the trylock succeeds but the member is zero, the lock is
 * kept. */
void and_member_in_macro_argument(struct opts *o)
{
    if (SAME(pthread_mutex_trylock(&m) == 0 && o->on))
        pthread_mutex_unlock(&m);
    pthread_mutex_lock(&m);  // want: recursive-lock "relocking 'm' which is already held"
    pthread_mutex_unlock(&m);
}
