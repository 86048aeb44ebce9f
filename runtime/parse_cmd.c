/*
 * parse_cmd.c -- `racecheck parse [options] LOG...`: turn ThreadSanitizer
 * output produced elsewhere (a CI log, a log_path file, stdin as "-") into
 * findings.
 */
#include "cli.h"
#include "runtime.h"
#include "tsan_parse.h"
#include "tsan_report.h"
#include "tsan_supp.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char parse_help[] =
    "Usage: racecheck parse [options] LOG...\n"
    "Turn ThreadSanitizer reports (from clang or gcc builds) into findings.\n"
    "A LOG of '-' reads standard input.  Program output mixed into the log is\n"
    "ignored.\n"
    "\n"
    "Options:\n" CLI_OUTPUT_HELP TSAN_SUPP_HELP
    "  -h, --help             show this help\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 errors (unreadable log,\n"
    "ThreadSanitizer's own fatal errors, bad usage).\n";

static char *read_stdin(size_t *len)
{
    rc_buf b = {0};
    char chunk[65536];
    ssize_t n;
    while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) > 0)
        buf_add(&b, chunk, (size_t)n);
    if (n < 0) {
        free(b.s);
        return NULL;
    }
    *len = b.len;
    return buf_take(&b);
}

int runtime_parse_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_OUTPUT_LONGOPTS, TSAN_SUPP_LONGOPT, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    rc_output out;
    cli_output_init(&out);
    const char *supp = NULL;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        if (opt == 'h') {
            fputs(parse_help, stdout);
            return 0;
        }
        if (opt == TSAN_SUPP_OPT) {
            supp = optarg;
            continue;
        }
        int r = cli_output_option(&out, opt, optarg);
        if (r < 0)
            return 2;
        if (r == 0)
            return cli_usage_error("parse: unknown option");
    }
    if (optind >= argc)
        return cli_usage_error("parse: no log given (use '-' for standard input)");
    rc_findings fs;
    findings_init(&fs);
    for (int i = optind; i < argc; i++) {
        const char *name = argv[i];
        int is_stdin = !strcmp(name, "-");
        size_t len = 0;
        char *text = is_stdin ? read_stdin(&len) : read_file(name, &len);
        if (!text) {
            findings_error(&fs, is_stdin ? "<stdin>" : name, "cannot read log: %s",
                           strerror(errno));
            continue;
        }
        tsan_text_findings(text, len, &fs, is_stdin ? "<stdin>" : name);
        free(text);
    }
    tsan_supps_run(supp, out.report_unused, &fs);
    int status = cli_emit(&fs, &out);
    findings_free(&fs);
    cli_output_free(&out);
    return status;
}
