/*
 * input.c -- turn the command line (and the build's compilation database)
 * into a list of files to parse, each with its compiler arguments.
 *
 * The database is read here with cJSON, not through libclang's
 * CXCompilationDatabase: libclang is loaded only when a file must really be
 * parsed, and a run whose results all come from the cache must not load it
 * just to learn the flags.  The reading follows clang's: compile_commands.json
 * (JSONCompilationDatabase), else compile_flags.txt (FixedCompilationDatabase).
 */
#include "input.h"
#include "findings_json.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct argv_buf {
    char **v;
    size_t n, cap;
} argv_buf;

static void arg_push(argv_buf *a, char *s)
{
    VEC_PUSH(a->v, a->n, a->cap, s);
}

static int has_c_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") || !strcmp(dot, ".i"));
}

static void add_input(rc_inputs *in, const char *display, const char *parse_path,
                      const char *dir, argv_buf *args)
{
    /* A file named otherwise (.inc, .txt, none) is still C to us; without
     * -x clang would take it for a linker input. */
    if (!has_c_extension(parse_path)) {
        arg_push(args, NULL);
        memmove(args->v + 1, args->v, (args->n - 1) * sizeof *args->v);
        args->v[0] = xstrdup("-xc");
    }
    /* racecheck reports no compiler warnings, and -w spares clang working
     * them out (8% of the parse on -Wall code); it also keeps a project's
     * -Werror from turning a warning only clang gives into an error that
     * would stop the file's analysis.  Errors still stop it. */
    arg_push(args, xstrdup("-w"));
    rc_input i = {xstrdup(display), xstrdup(parse_path), args->v, (int)args->n,
                  dir ? xstrdup(dir) : NULL};
    VEC_PUSH(in->v, in->n, in->cap, i);
    memset(args, 0, sizeof *args);
}

static void input_free(rc_input *i)
{
    free(i->display);
    free(i->parse_path);
    free(i->dir);
    for (int k = 0; k < i->nargs; k++)
        free(i->args[k]);
    free(i->args);
}

void inputs_free(rc_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        input_free(&in->v[i]);
    free(in->v);
    memset(in, 0, sizeof *in);
}

char *input_path(const rc_input *i)
{
    return i->parse_path[0] == '/' || !i->dir ? xstrdup(i->parse_path)
                                               : xasprintf("%s/%s", i->dir, i->parse_path);
}

void inputs_filter(rc_inputs *in, int (*keep)(const rc_input *i, void *ud), void *ud)
{
    size_t out = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (keep(&in->v[i], ud))
            in->v[out++] = in->v[i];
        else
            input_free(&in->v[i]);
    }
    in->n = out;
}

/* Can the file be read as a source file?  Names the problem if not. */
static int check_readable(const char *path, rc_findings *errs)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        findings_error(errs, path, "cannot open file: %s", strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        findings_error(errs, path, "is a directory, not a C file");
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        findings_error(errs, path, "cannot read file: %s", strerror(errno));
        return 0;
    }
    close(fd);
    return 1;
}

/* Arguments of a compile command that say what to do with the output,
 * not how to read the input: drop them (the next one too, if `takes`). */
static int dropped_arg(const char *a, int *takes_next)
{
    static const char *const with_value[] = {"-o", "-MF", "-MT", "-MQ"};
    static const char *const alone[] = {"-c", "-S", "-E", "-MD", "-MMD", "-M", "-MM", "-MP"};
    *takes_next = 0;
    for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
        if (!strcmp(a, with_value[i]))
            return *takes_next = 1;
    for (size_t i = 0; i < sizeof alone / sizeof *alone; i++)
        if (!strcmp(a, alone[i]))
            return 1;
    return 0;
}

/* name under dir, unless name is absolute.  malloc'd. */
static char *path_join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir[0])
        return xstrdup(name);
    size_t n = strlen(dir);
    return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
}

static int same_file(const char *a, const char *dir, const char *b)
{
    char *full = path_join(dir, b);
    char ra[PATH_MAX], rb[PATH_MAX];
    int same = realpath(a, ra) && realpath(full, rb) && !strcmp(ra, rb);
    free(full);
    return same;
}

/* One command of a compilation database. */
typedef struct compdb_cmd {
    char *dir;      /* the directory it runs in */
    char *file;     /* the file it compiles, absolute (normalised when it
                     * exists); NULL: every file (compile_flags.txt) */
    char **argv;    /* argv[0], the compiler, is not used */
    size_t argc;
} compdb_cmd;

typedef struct compdb {
    char *path;     /* the file it was read from */
    compdb_cmd *v;
    size_t n, cap;
} compdb;

static void compdb_free(compdb *db)
{
    for (size_t i = 0; i < db->n; i++) {
        compdb_cmd *c = &db->v[i];
        for (size_t k = 0; k < c->argc; k++)
            free(c->argv[k]);
        free(c->argv);
        free(c->dir);
        free(c->file);
    }
    free(db->v);
    free(db->path);
    memset(db, 0, sizeof *db);
}

/* path as an absolute, normalised path if it exists; takes path. */
static char *normalise(char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return path;
    free(path);
    return xstrdup(real);
}

/* Split a "command" into words as the POSIX shell that ran it did: blanks
 * (a response file's CRs too) separate words; 'single quotes' keep
 * everything; inside "double quotes" a backslash escapes only $ ` " \ and
 * newline, elsewhere any character; backslash-newline is removed.  An
 * unterminated quote ends with the string.  (-DNAME=\"str\", '-DX=a b' and
 * a\ b each stay one word.) */
static void split_command(const char *s, argv_buf *out)
{
    rc_buf word = {0};
    int started = 0;  /* a word has begun, even if empty ('') */
    char quote = 0;
    for (; *s; s++) {
        if (quote == '\'') {
            if (*s == '\'')
                quote = 0;
            else
                buf_add(&word, s, 1);
        } else if (*s == '\\' && s[1] && (!quote || strchr("$`\"\\\n", s[1]))) {
            s++;
            if (*s != '\n') {
                buf_add(&word, s, 1);
                started = 1;
            }
        } else if (quote) {
            if (*s == '"')
                quote = 0;
            else
                buf_add(&word, s, 1);
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
            started = 1;
        } else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            if (started)
                arg_push(out, buf_take(&word));
            started = 0;
        } else {
            buf_add(&word, s, 1);
            started = 1;
        }
    }
    if (started)
        arg_push(out, buf_take(&word));
}

enum {
    RSP_DEPTH = 16,         /* nested response files: a cycle stops here */
    RSP_ARGS = 1 << 20,     /* arguments a command may grow to */
    RSP_BYTES = 16 << 20    /* a response file's size */
};

/* Move args[0..n) onto out, each `@file` replaced by the words of file
 * (a path relative to dir, the command's directory), as clang's tooling
 * expands them in compile commands: CMake with Ninja, Meson and Bazel
 * write include paths and defines to such files when a command would be
 * long.  A file that cannot be read, is not a regular file (a database
 * naming @/dev/stdin must not hang) or is too large, or one nested too
 * deep, stays the argument it was; the parse then says what is missing. */
static void expand_rsp(const char *dir, char **args, size_t n, int depth, argv_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char *text = NULL;
        if (args[i][0] == '@' && args[i][1] && depth < RSP_DEPTH && out->n < RSP_ARGS) {
            char *path = path_join(dir, args[i] + 1);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= RSP_BYTES)
                text = read_file(path, NULL);
            free(path);
        }
        if (!text) {
            arg_push(out, args[i]);
            continue;
        }
        free(args[i]);
        argv_buf words = {0};
        split_command(text, &words);
        free(text);
        expand_rsp(dir, words.v, words.n, depth + 1, out);
        free(words.v);
    }
}

/* Add a command running in dir (made absolute: clang's -working-directory
 * cannot be relative) on file, its @files expanded; takes file and args. */
static void compdb_add(compdb *db, const char *dir, char *file, argv_buf *args)
{
    argv_buf all = {0};
    if (args->n)
        arg_push(&all, args->v[0]);  /* argv[0] is the compiler */
    if (args->n > 1)
        expand_rsp(dir, args->v + 1, args->n - 1, 0, &all);
    free(args->v);
    memset(args, 0, sizeof *args);
    compdb_cmd c = {normalise(xstrdup(dir)), file, all.v, all.n};
    VEC_PUSH(db->v, db->n, db->cap, c);
}

/* A JSON array of strings, copied onto out; 0 if it is something else. */
static int string_array(const cJSON *arr, argv_buf *out)
{
    const cJSON *s;
    if (!cJSON_IsArray(arr))
        return 0;
    cJSON_ArrayForEach(s, arr)
        if (!cJSON_IsString(s))
            return 0;
    cJSON_ArrayForEach(s, arr)
        arg_push(out, xstrdup(s->valuestring));
    return 1;
}

/* Add the command of one compile_commands.json entry; what is wrong with
 * the entry (nothing added) or NULL.  "arguments" wins over "command";
 * other keys ("output") do not matter. */
static const char *compdb_add_entry(compdb *db, const cJSON *e)
{
    if (!cJSON_IsObject(e))
        return "is not an object";
    const char *dir = json_get_str(e, "directory"), *file = json_get_str(e, "file");
    const char *command = json_get_str(e, "command");
    const cJSON *arguments = cJSON_GetObjectItemCaseSensitive(e, "arguments");
    if (!dir)
        return "has no \"directory\" string";
    if (!file)
        return "has no \"file\" string";
    argv_buf a = {0};
    if (arguments && !string_array(arguments, &a))
        return "has an \"arguments\" that is not an array of strings";
    if (!arguments && !command)
        return "has neither an \"arguments\" array nor a \"command\" string";
    if (!arguments)
        split_command(command, &a);
    compdb_add(db, dir, normalise(path_join(dir, file)), &a);
    return NULL;
}

/* Where pos lies in text, for an error message. */
static void text_position(const char *text, const char *pos, unsigned *line, unsigned *col)
{
    *line = *col = 1;
    for (const char *p = text; p < pos; p++) {
        if (*p == '\n')
            ++*line, *col = 1;
        else
            ++*col;
    }
}

/* compile_commands.json: an array of entries.  0 if the file as a whole is
 * unusable; a bad entry only costs itself.  Problems go to errs. */
static int compdb_parse_json(compdb *db, const char *text, size_t len, rc_findings *errs)
{
    const char *end = NULL;
    /* len + 1: read_file's NUL ends the text, and nothing may follow the array. */
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!doc) {
        unsigned line, col;
        text_position(text, end ? end : text, &line, &col);
        findings_error(errs, db->path, "not valid JSON (line %u, column %u)", line, col);
        return 0;
    }
    if (!cJSON_IsArray(doc)) {
        findings_error(errs, db->path, "not a JSON array of compile commands");
        cJSON_Delete(doc);
        return 0;
    }
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, doc) {
        const char *why = compdb_add_entry(db, e);
        if (why)
            findings_error(errs, db->path, "entry %zu %s; entry skipped", i, why);
        i++;
    }
    cJSON_Delete(doc);
    return 1;
}

/* compile_flags.txt: one argument per line (surrounding blanks and blank
 * lines ignored) for every file, run from dir, the file's directory. */
static void compdb_parse_flags(compdb *db, const char *dir, char *text)
{
    argv_buf a = {0};
    arg_push(&a, xstrdup("clang-tool"));  /* argv[0], as clang has it */
    char *save;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        while (n && isspace((unsigned char)line[n - 1]))
            n--;
        while (n && isspace((unsigned char)*line))
            line++, n--;
        if (n)
            arg_push(&a, xstrndup(line, n));
    }
    compdb_add(db, dir, NULL, &a);
}

/* Read build_dir's compile_commands.json, or else its compile_flags.txt.
 * 0 when there is no usable database; errs then says why. */
static int compdb_load(compdb *db, const char *build_dir, rc_findings *errs)
{
    db->path = path_join(build_dir, "compile_commands.json");
    size_t len;
    char *text = read_file(db->path, &len);
    int json = 1;
    if (!text && errno == ENOENT) {
        free(db->path);
        db->path = path_join(build_dir, "compile_flags.txt");
        text = read_file(db->path, &len);
        json = 0;
    }
    int err = errno, ok = text != NULL;
    if (text && json)
        ok = compdb_parse_json(db, text, len, errs);
    else if (text)
        compdb_parse_flags(db, build_dir, text);
    else if (err == ENOENT || err == ENOTDIR)
        findings_error(errs, build_dir, "cannot load compile_commands.json from this directory");
    else
        findings_error(errs, db->path, "cannot read: %s", strerror(err));
    free(text);
    return ok;
}

/* The first command for the file at real (a realpath), or NULL. */
static const compdb_cmd *compdb_find(const compdb *db, const char *real)
{
    for (size_t i = 0; i < db->n; i++)
        if (!db->v[i].file || !strcmp(db->v[i].file, real))
            return &db->v[i];
    return NULL;
}

/* The arguments of cmd that matter for parsing file. */
static void command_args(const compdb_cmd *cmd, const char *file, argv_buf *out)
{
    for (size_t i = 1; i < cmd->argc; i++) {
        const char *a = cmd->argv[i];
        int takes;
        if (dropped_arg(a, &takes))
            i += (size_t)takes;
        else if (strcmp(a, "--") && !(a[0] != '-' && same_file(file, cmd->dir, a)))
            arg_push(out, xstrdup(a));
    }
    /* Relative -I paths are relative to the command's directory. */
    arg_push(out, xasprintf("-working-directory=%s", cmd->dir));
}

static int is_c_file(const char *path)
{
    size_t n = strlen(path);
    return n > 2 && !strcmp(path + n - 2, ".c");
}

static void add_extra(argv_buf *a, char **extra, int nextra)
{
    for (int k = 0; k < nextra; k++)
        arg_push(a, xstrdup(extra[k]));
}

static int has_input(const rc_inputs *in, const char *parse_path)
{
    for (size_t k = 0; k < in->n; k++)
        if (!strcmp(in->v[k].parse_path, parse_path))
            return 1;
    return 0;
}

/* Every C file of the database, in its order; a file built twice is
 * analysed once, with its first command. */
static void collect_all(rc_inputs *in, const compdb *db, char **extra, int nextra,
                        rc_findings *errs)
{
    for (size_t i = 0; i < db->n; i++) {
        const compdb_cmd *cmd = &db->v[i];
        if (!cmd->file) {
            findings_error(errs, db->path, "lists no files, only flags: name the files to analyse");
            continue;
        }
        if (!is_c_file(cmd->file) || has_input(in, cmd->file) || !check_readable(cmd->file, errs))
            continue;
        argv_buf a = {0};
        command_args(cmd, cmd->file, &a);
        add_extra(&a, extra, nextra);
        char *shown = path_display(cmd->file);
        add_input(in, shown, cmd->file, cmd->dir, &a);
        free(shown);
    }
}

/* A file named on the command line, with its flags from db if it has any. */
static void collect_named(rc_inputs *in, const char *file, const compdb *db, char **extra,
                          int nextra, rc_findings *errs)
{
    if (!check_readable(file, errs))
        return;
    argv_buf a = {0};
    char real[PATH_MAX];
    const compdb_cmd *cmd = db && realpath(file, real) ? compdb_find(db, real) : NULL;
    if (cmd)
        command_args(cmd, real, &a);
    else if (db)
        rc_warn("%s: not in %s; analysing without its flags", file, db->path);
    add_extra(&a, extra, nextra);
    /* A file without a command is parsed from the user's directory, named
     * as working directory all the same: libclang 14 and 16 chdir() into a
     * command's directory to parse it and stay there, so that a relative
     * name given after a file of the database would not be found. */
    char cwd[PATH_MAX];
    const char *dir = cmd ? cmd->dir : path_user_cwd(cwd);
    if (!cmd && dir)
        arg_push(&a, xasprintf("-working-directory=%s", dir));
    /* libclang reads "-x.c" as an option: name such files by path. */
    char *parse_path = file[0] == '-' ? xasprintf("./%s", file) : xstrdup(file);
    add_input(in, file, cmd ? real : parse_path, dir, &a);
    free(parse_path);
}

void inputs_collect(rc_inputs *in, char **files, int nfiles, char **extra, int nextra,
                    const char *build_dir, rc_findings *errs)
{
    compdb db = {0};
    int have_db = build_dir && compdb_load(&db, build_dir, errs);
    if (have_db && !nfiles)
        collect_all(in, &db, extra, nextra, errs);
    for (int f = 0; f < nfiles; f++)
        collect_named(in, files[f], have_db ? &db : NULL, extra, nextra, errs);
    compdb_free(&db);
}
