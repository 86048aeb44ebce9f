/* A signal handler that clobbers errno (an asynchronous signal). */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

static volatile int done;

static void handler(int sig)
{ // want-run: errno-in-signal-handler
    (void)sig;
    errno = 0;
    done = 1;
}

int main(void)
{
    signal(SIGALRM, handler);
    alarm(1);
    while (!done)
        usleep(1000);
    return 0;
}
