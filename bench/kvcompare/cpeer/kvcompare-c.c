/* kvcompare-c: the official C client (libnats 3.4, Debian's libnats-dev) as a benchmark-only peer for
 * kvcompare. One case per run against a server kvcompare started; prints "seconds peak_kib" of the timed
 * part. Never linked into kvdesk.
 *
 *   kvcompare-c <case> <url> <count>
 *   cases: connect seqput pipeput pub pubsub livewatch list watchinit get put
 */
#include <nats/nats.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUCKET "BENCH"
#define WINDOW 4000

static char value[128];
static volatile int ackErrors;

static void must(natsStatus s, const char *what)
{
    if (s != NATS_OK) {
        fprintf(stderr, "kvcompare-c: %s: %s %s\n", what, natsStatus_GetText(s), nats_GetLastError(NULL));
        exit(2);
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* VmHWM, not getrusage(): ru_maxrss survives exec and would report the parent's peak. */
static long peakKiB(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

static void onAckError(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    (void)pae;
    (void)closure;
    ++ackErrors;
}

static kvStore *openKv(natsConnection *nc, jsCtx **js, int create)
{
    jsOptions options;
    jsOptions_Init(&options);
    options.PublishAsync.MaxPending = WINDOW;
    options.PublishAsync.ErrHandler = onAckError;
    must(natsConnection_JetStream(js, nc, &options), "jetstream");
    kvStore *kv = NULL;
    if (create) {
        kvConfig config;
        kvConfig_Init(&config);
        config.Bucket = BUCKET;
        must(js_CreateKeyValue(&kv, *js, &config), "create bucket");
    } else {
        must(js_KeyValue(&kv, *js, BUCKET), "bucket");
    }
    return kv;
}

/* Pipelined puts: at most WINDOW acks outstanding (PublishAsync.MaxPending); every ack is checked. */
static void pipePut(jsCtx *js, int n)
{
    char subject[64];
    for (int i = 0; i < n; ++i) {
        snprintf(subject, sizeof subject, "$KV." BUCKET ".k.%d", i);
        must(js_PublishAsync(js, subject, value, sizeof value, NULL), "publish async");
    }
    jsPubOptions options;
    jsPubOptions_Init(&options);
    options.MaxWait = 120000;
    must(js_PublishAsyncComplete(js, &options), "publish async complete");
    if (ackErrors) {
        fprintf(stderr, "kvcompare-c: %d acks failed\n", ackErrors);
        exit(2);
    }
}

typedef struct
{
    pthread_mutex_t lock;
    pthread_cond_t done;
    int got, want;
} Counter;

static void onMessage(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure)
{
    (void)nc;
    (void)sub;
    Counter *c = closure;
    natsMsg_Destroy(msg);
    pthread_mutex_lock(&c->lock);
    if (++c->got == c->want)
        pthread_cond_signal(&c->done);
    pthread_mutex_unlock(&c->lock);
}

static double pubsub(natsConnection *nc, const char *url, int n)
{
    natsConnection *sc = NULL;
    natsSubscription *sub = NULL;
    Counter c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, n};
    must(natsConnection_ConnectTo(&sc, url), "connect");
    must(natsConnection_Subscribe(&sub, sc, "bench.pub", onMessage, &c), "subscribe");
    must(natsSubscription_SetPendingLimits(sub, -1, -1), "pending limits");
    must(natsConnection_Flush(sc), "flush");
    double start = now();
    for (int i = 0; i < n; ++i)
        must(natsConnection_Publish(nc, "bench.pub", value, sizeof value), "publish");
    must(natsConnection_FlushTimeout(nc, 120000), "flush");
    pthread_mutex_lock(&c.lock);
    while (c.got < n)
        pthread_cond_wait(&c.done, &c.lock);
    pthread_mutex_unlock(&c.lock);
    double seconds = now() - start;
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(sc);
    return seconds;
}

static double watch(kvStore *kv, jsCtx *js, int n, int live)
{
    kvWatcher *w = NULL;
    kvEntry *e = NULL;
    double start = now();
    must(kvStore_WatchAll(&w, kv, NULL), "watch");
    int got = 0;
    if (live) {
        must(kvWatcher_Next(&e, w, 10000), "watch marker"); /* the empty bucket's end-of-initial marker */
        start = now();
        pipePut(js, n);
    }
    for (;;) {
        must(kvWatcher_Next(&e, w, 60000), "watch next");
        if (e == NULL) {
            if (live)
                continue;
            break;
        }
        if (live && kvEntry_Revision(e) != (uint64_t)got + 1) {
            fprintf(stderr, "kvcompare-c: revision %llu after %d\n", (unsigned long long)kvEntry_Revision(e), got);
            exit(2);
        }
        kvEntry_Destroy(e);
        if (++got == n && live)
            break;
    }
    double seconds = now() - start;
    if (got != n) {
        fprintf(stderr, "kvcompare-c: watched %d of %d\n", got, n);
        exit(2);
    }
    kvWatcher_Destroy(w);
    return seconds;
}

static double run(const char *name, const char *url, int n)
{
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    double start = now();
    must(natsConnection_ConnectTo(&nc, url), "connect");
    if (strcmp(name, "connect") == 0) {
        double seconds = now() - start;
        natsConnection_Destroy(nc);
        return seconds;
    }
    double seconds = -1;
    if (strcmp(name, "pub") == 0) {
        start = now();
        for (int i = 0; i < n; ++i)
            must(natsConnection_Publish(nc, "bench.pub", value, sizeof value), "publish");
        must(natsConnection_FlushTimeout(nc, 120000), "flush");
        seconds = now() - start;
    } else if (strcmp(name, "pubsub") == 0) {
        seconds = pubsub(nc, url, n);
    } else {
        int create = strcmp(name, "list") != 0 && strcmp(name, "watchinit") != 0 && strcmp(name, "get") != 0
            && strcmp(name, "put") != 0;
        kvStore *kv = openKv(nc, &js, create);
        if (strcmp(name, "seqput") == 0) {
            char key[32];
            uint64_t revision = 0;
            start = now();
            for (int i = 0; i < n; ++i) {
                snprintf(key, sizeof key, "k.%d", i);
                must(kvStore_Put(&revision, kv, key, value, sizeof value), "put");
            }
            seconds = now() - start;
        } else if (strcmp(name, "pipeput") == 0) {
            start = now();
            pipePut(js, n);
            seconds = now() - start;
        } else if (strcmp(name, "get") == 0) { /* a whole process: kvcompare times it from outside */
            kvEntry *entry = NULL;
            must(kvStore_Get(&entry, kv, "k.0"), "get");
            kvEntry_Destroy(entry);
            seconds = 0;
        } else if (strcmp(name, "put") == 0) {
            uint64_t revision = 0;
            must(kvStore_Put(&revision, kv, "k.0", value, sizeof value), "put");
            seconds = 0;
        } else if (strcmp(name, "list") == 0) {
            kvKeysList keys;
            start = now();
            must(kvStore_Keys(&keys, kv, NULL), "keys");
            seconds = now() - start;
            if (keys.Count != n) {
                fprintf(stderr, "kvcompare-c: listed %d of %d\n", keys.Count, n);
                exit(2);
            }
            kvKeysList_Destroy(&keys);
        } else if (strcmp(name, "watchinit") == 0) {
            seconds = watch(kv, js, n, 0);
        } else if (strcmp(name, "livewatch") == 0) {
            seconds = watch(kv, js, n, 1);
        } else {
            fprintf(stderr, "kvcompare-c: unknown case %s\n", name);
            exit(1);
        }
        kvStore_Destroy(kv);
        jsCtx_Destroy(js);
    }
    natsConnection_Destroy(nc);
    return seconds;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: kvcompare-c <case> <url> <count>\n");
        return 1;
    }
    memset(value, 'v', sizeof value);
    double seconds = run(argv[1], argv[2], atoi(argv[3]));
    printf("%.6f %ld\n", seconds, peakKiB());
    nats_Close();
    return 0;
}
