/*
 * hook.c -- write .git/hooks/pre-commit so that every commit is checked.
 *
 * The hook runs racecheck on the staged C files (as they are in the work
 * tree) and blocks the commit on findings or errors; `git commit
 * --no-verify` skips it.  An existing hook that racecheck did not write is
 * left alone unless --force is given.
 */
#include "hook.h"
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOOK_MARK "# racecheck pre-commit hook"

/* The git directory of the repository around the working directory: a
 * `.git` directory, or a `.git` file saying "gitdir: PATH" (worktrees,
 * submodules). */
static char *find_git_dir(void)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    for (;;) {
        char *git = xasprintf("%s/.git", cwd);
        struct stat st;
        if (stat(git, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                return git;
            size_t len;
            char *text = read_file(git, &len);
            if (text && !strncmp(text, "gitdir: ", 8)) {
                char *p = text + 8;
                p[strcspn(p, "\r\n")] = '\0';
                char *dir = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", cwd, p);
                free(text);
                free(git);
                return dir;
            }
            free(text);
        }
        free(git);
        char *slash = strrchr(cwd, '/');
        if (!slash || slash == cwd)
            return NULL;
        *slash = '\0';
    }
}

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: racecheck install-hook [--force]\n"
        "\n"
        "Installs a git pre-commit hook in the repository around the working\n"
        "directory that runs racecheck on the staged C files and blocks the commit\n"
        "on findings.  Skip it once with 'git commit --no-verify'.  Arguments for\n"
        "racecheck go in the project's .racecheck file.\n"
        "\n"
        "  --force    replace an existing pre-commit hook\n");
}

int hook_install_main(int argc, char **argv)
{
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--force"))
            force = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else
            return cli_usage_error("install-hook: unknown argument '%s'", argv[i]);
    }
    char *gitdir = find_git_dir();
    if (!gitdir) {
        rc_warn("install-hook: not inside a git repository");
        return 2;
    }
    char *hooks = xasprintf("%s/hooks", gitdir);
    mkdir(hooks, 0777);
    char *path = xasprintf("%s/pre-commit", hooks);
    size_t len;
    char *old = read_file(path, &len);
    int status = 0;
    if (old && !strstr(old, HOOK_MARK) && !force) {
        rc_warn("install-hook: %s exists and was not written by racecheck; use --force to replace it",
                path);
        status = 2;
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = '\0';
        FILE *f = fopen(path, "w");
        if (!f) {
            rc_warn("install-hook: cannot write %s: %s", path, strerror(errno));
            status = 2;
        } else {
            fprintf(f,
                "#!/bin/sh\n"
                HOOK_MARK " (installed by 'racecheck install-hook').\n"
                "# Checks the staged C files; 'git commit --no-verify' skips it.\n"
                "RACECHECK=\"${RACECHECK:-%s}\"\n"
                "command -v \"$RACECHECK\" >/dev/null 2>&1 || RACECHECK=racecheck\n"
                "git diff --cached --name-only --diff-filter=ACMR -z -- '*.c' |\n"
                "    xargs -0 -r \"$RACECHECK\"\n",
                n > 0 ? self : "racecheck");
            if (fclose(f) != 0 || chmod(path, 0755) != 0) {
                rc_warn("install-hook: cannot write %s: %s", path, strerror(errno));
                status = 2;
            } else {
                printf("racecheck: installed %s\n", path);
            }
        }
    }
    free(old);
    free(path);
    free(hooks);
    free(gitdir);
    return status;
}
