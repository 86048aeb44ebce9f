/*
 * main.c -- the racecheck command: dispatch to a subcommand.
 *
 *   racecheck [options] FILE... [-- ARGS]   static analysis (analyzer/)
 *   racecheck run ...                       build and run under TSan (runtime/)
 *   racecheck parse ...                     convert TSan logs (runtime/)
 *   racecheck install-hook                  a plain git pre-commit hook
 */
#include <string.h>

#include "hook.h"
#include "util.h"
#include "../analyzer/analyzer.h"
#include "../runtime/runtime.h"

int main(int argc, char **argv)
{
    path_remember_cwd();
    if (argc > 1 && !strcmp(argv[1], "run"))
        return runtime_run_main(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "parse"))
        return runtime_parse_main(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "install-hook"))
        return hook_install_main(argc - 1, argv + 1);
    return analyzer_main(argc, argv);
}
