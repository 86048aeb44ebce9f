/* An infinite loop with no lock involved. */
static volatile int stop;

int main(void)
{
    while (!stop) // want-run: timeout
        ;
    return 0;
}
