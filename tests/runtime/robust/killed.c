/* Dies by SIGKILL, sent to itself (no TSan report). */
#include <signal.h>
#include <unistd.h>

int main(void)
{
    kill(getpid(), SIGKILL);
    pause();
    return 0;
}
