/*
 * A line reader object that is not thread-safe -- it keeps its position in
 * the object -- shared between two parser threads without a lock.  Both
 * threads advance the same cursor and lines are lost or read twice.
 * racecheck run: data-race on the reader's position.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct line_reader {
    const char *text;
    size_t pos;             /* not protected: the reader is single-threaded */
};

/* Copies the next line into buf; returns 0 at the end. */
static int next_line(struct line_reader *r, char *buf, size_t n)
{
    const char *start = r->text + r->pos;               // want-run: data-race
    if (!*start)
        return 0;
    size_t len = strcspn(start, "\n");
    snprintf(buf, n, "%.*s", (int)len, start);
    r->pos += len + (start[len] == '\n');
    return 1;
}

static const char log_text[] =
    "GET /index.html 200\nGET /style.css 200\nPOST /login 302\n"
    "GET /missing 404\nGET /index.html 200\nPOST /upload 500\n";

static struct line_reader shared = { log_text, 0 };

static void *parse(void *arg)
{
    long *errors = arg;
    char line[64];
    while (next_line(&shared, line, sizeof line))
        if (strstr(line, " 5") || strstr(line, " 4"))
            ++*errors;
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    long ea = 0, eb = 0;
    pthread_create(&a, NULL, parse, &ea);
    pthread_create(&b, NULL, parse, &eb);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("errors: %ld (expected 2)\n", ea + eb);
    return 0;
}
