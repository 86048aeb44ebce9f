/* Leaves processes behind: a child in the program's process group and a
 * grandchild that escapes it with setsid(); both ignore SIGTERM and SIGHUP
 * and sleep.  The program races, waits until the grandchild has left the
 * group, and exits -- or, given an argument, waits forever. */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

int shared;

static void *worker(void *arg)
{
    (void)arg;
    shared++;
    return NULL;
}

/* Two threads increment a global without a lock. */
static void race(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
}

int main(int argc, char **argv)
{
    (void)argv;
    race();
    int ready[2];
    if (pipe(ready) != 0)
        return 3;
    if (fork() == 0) {
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        if (fork() == 0) {
            setsid();
            if (write(ready[1], "x", 1) != 1)
                _exit(3);
            for (;;)
                sleep(100);
        }
        for (;;)
            sleep(100);
    }
    char c;
    if (read(ready[0], &c, 1) != 1)
        return 3;
    while (argc > 1)
        pause();
    return 0;
}
