/* malloc inside a signal handler. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static volatile void *sink;

static void handler(int sig)
{
    int saved = errno;
    (void)sig;
    sink = malloc(16); // want-run: signal-unsafe-call
    errno = saved;
}

int main(void)
{
    signal(SIGALRM, handler);
    alarm(1);
    pause();
    free((void *)sink);
    return 0;
}
