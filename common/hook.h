/*
 * hook.h -- `racecheck install-hook`: a plain git pre-commit hook, for
 * repositories that do not use the pre-commit framework.
 */
#ifndef RC_HOOK_H
#define RC_HOOK_H

/* argv[0] is "install-hook".  Returns the exit status. */
int hook_install_main(int argc, char **argv);

#endif
