// Async-signal-safe cleanup of a temporary output file. The handler only reads a static buffer and calls
// unlink(), signal() and raise(), all async-signal-safe (POSIX.1-2008, 2.4.3).
#include "midpoint_signals.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static char pending[4096];
static volatile sig_atomic_t has_pending = 0;
static volatile sig_atomic_t installed = 0;

static void cleanup_and_reraise(int sig) {
    if (has_pending) {
        unlink(pending);
        has_pending = 0;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void mps_install_cleanup_handlers(void) {
    if (installed) return;
    installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cleanup_and_reraise;
    sigemptyset(&action.sa_mask);
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction previous;
        // Keep an ignored signal ignored (e.g. SIGHUP under nohup).
        if (sigaction(signals[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        sigaction(signals[i], &action, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

void mps_set_pending_temporary(const char *path) {
    has_pending = 0;
    strncpy(pending, path, sizeof pending - 1);
    pending[sizeof pending - 1] = '\0';
    has_pending = 1;
}

void mps_clear_pending_temporary(void) {
    has_pending = 0;
}
