/* Not a TSan program: fakes TSan's "unexpected memory mapping" failure
 * unless address randomisation is off, to test `racecheck run`'s retry.
 * Used by run_checks.sh through --exec (no want-run annotations). */
#include <stdio.h>
#include <sys/personality.h>

int main(void)
{
    if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
        fprintf(stderr, "FATAL: ThreadSanitizer: unexpected memory mapping 0x1-0x2\n");
        return 66;
    }
    return 0;
}
