/* Prints MB megabytes (argv[1], default 16) on stdout and as many on stderr,
 * then races. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    long mb = argc > 1 ? atol(argv[1]) : 16;
    static char line[1024];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 2] = '\n';
    for (long i = 0; i < mb * 1024; i++) {
        fputs(line, stdout);
        fputs(line, stderr);
    }
    fflush(stdout);
    race();
    return 0;
}
