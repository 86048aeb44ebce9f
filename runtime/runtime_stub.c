/* runtime_stub.c -- placeholder until the runtime lands (issue 4). */
#include "runtime.h"
#include "util.h"

int runtime_run_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    rc_warn("'run' is not implemented yet");
    return 2;
}

int runtime_parse_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    rc_warn("'parse' is not implemented yet");
    return 2;
}
