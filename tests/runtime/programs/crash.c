/* A null pointer write. */
#include <stddef.h>

static int *volatile nowhere = NULL;

int main(void)
{
    *nowhere = 1; // want-run: crash
    return 0;
}
