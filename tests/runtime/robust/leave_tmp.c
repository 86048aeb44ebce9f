/* Leaves a file in $TMPDIR, as TSan's runtime does (tsan.rodata.PID) when
 * the program is killed while it starts: racecheck runs programs with
 * TMPDIR set to the run's own directory, which goes when the run ends. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/left.%ld", dir && *dir ? dir : "/tmp", (long)getpid());
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    fputs("left behind\n", f);
    fclose(f);
    return 0;
}
