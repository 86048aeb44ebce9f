/*
 * tsan_parse.h -- ThreadSanitizer log text -> structured reports.
 *
 * Pure: no I/O, no processes.  Understands the LLVM (v3, clang) and gcc
 * (v2, libtsan) text formats, with or without columns and BuildIds, stray
 * symbolizer lines and program output interleaved with the reports.
 * Turning a report into a finding lives in tsan_report.c.
 */
#ifndef RC_TSAN_PARSE_H
#define RC_TSAN_PARSE_H

#include <stddef.h>

typedef struct tsan_frame {
    unsigned index;          /* the #N */
    char *function;          /* NULL for <null> */
    char *file;              /* NULL for <null> */
    unsigned line, column;   /* 0 = unknown */
    char *module;            /* "prog+0x123" / "libtsan.so.2+0x..." / NULL */
    int user;                /* belongs to the user's code */
} tsan_frame;

typedef enum {
    TSAN_SEC_STACK,          /* a bare stack (after the header, or "and:") */
    TSAN_SEC_ACCESS,         /* "[Previous ][atomic ]write|read of size N ..." */
    TSAN_SEC_SLEEP,          /* "As if synchronized via sleep:" */
    TSAN_SEC_LOCATION,       /* "Location is ..." */
    TSAN_SEC_MUTEX,          /* "Mutex M0 (0x...) created at:" */
    TSAN_SEC_THREAD,         /* "Thread T1 (...) created by ... at:" */
    TSAN_SEC_EDGE,           /* "Mutex M1 acquired here while holding mutex M0 in ...:" */
    TSAN_SEC_EDGE_PREV,      /* "Mutex M0 previously acquired by the same thread here:" */
    TSAN_SEC_OTHER           /* any other "...:" header with a stack */
} tsan_sec_kind;

typedef struct tsan_section {
    tsan_sec_kind kind;
    char *text;              /* the header line, trimmed; NULL for bare stacks */
    /* access */
    int previous, write, atomic;
    unsigned size;
    char *thread;            /* "T1" / "main thread" (access, edge, location) */
    char *mutexes;           /* access: "write M0, read M1" or NULL */
    /* location */
    char *loc_kind;          /* "global", "heap", "stack", "tls", "fd", "other" */
    char *name;              /* location: global name; thread: its name */
    /* mutex / edge / thread */
    char *id;                /* "M0" / "T1" */
    char *held;              /* edge: the mutex held */
    char *status;            /* thread: "running" / "finished" */
    char *creator;           /* thread: "main thread" / "thread T0" */
    int destroyed;           /* mutex: "is already destroyed" */
    int failed;              /* "[failed to restore the stack]" */
    tsan_frame *frames;
    size_t nframes, capframes;
} tsan_section;

typedef struct tsan_report {
    char *header;            /* text after "ThreadSanitizer: ", no "(pid=N)" */
    char *check;             /* slug */
    long pid;                /* 0 = unknown */
    int crash;               /* a deadly signal (SEGV ...), not a warning */
    int truncated;           /* the log ended or broke off inside it */
    char *cycle;             /* lock-order graph, "M0 => M1 => M0" */
    char *summary;
    char *crash_cause;       /* "The signal is caused by a WRITE memory access." */
    unsigned more_similar;   /* "And N more similar thread leaks." */
    tsan_section *secs;
    size_t nsecs, capsecs;
} tsan_report;

typedef struct tsan_log {
    tsan_report *reports;
    size_t n, cap;
    char **fatal;            /* runtime failures: unexpected memory mapping ... */
    size_t nfatal, capfatal;
    int reported;            /* "reported N warnings", -1 if absent */
    int memory_mapping;      /* one of the fatals is "unexpected memory mapping" */
} tsan_log;

void tsan_log_init(tsan_log *log);
void tsan_log_free(tsan_log *log);

/* Parse text (need not be NUL-free nor end with a newline) into log,
 * appending to what is there.  Never fails: unknown lines are skipped. */
void tsan_parse(tsan_log *log, const char *text, size_t len);

/* The slug for a header ("data race" -> "data-race"); unknown headers get
 * one derived from their text.  Returns a new string. */
char *tsan_check_slug(const char *header);

/* Parse one frame line ("    #1 main a.c:3:5 (prog+0x12)"); 0 if it is not one. */
int tsan_parse_frame(const char *line, tsan_frame *out);
void tsan_frame_free(tsan_frame *f);
/* Set f->user from its file, module and function. */
void tsan_frame_classify(tsan_frame *f);

/* The first frame of the section that belongs to the user, or NULL. */
const tsan_frame *tsan_user_frame(const tsan_section *s);

#endif
