#ifndef MIDPOINT_SIGNALS_H
#define MIDPOINT_SIGNALS_H

/// Removes an in-flight temporary output file when the process is interrupted (SIGINT, SIGTERM, SIGHUP),
/// then dies of the same signal; and ignores SIGXFSZ, so a write past a file-size limit fails with EFBIG
/// (which the writer reports) instead of killing the process mid-write. Idempotent.
void mps_install_cleanup_handlers(void);

/// Registers `path` as the temporary file to remove on interruption (copied; at most 4095 bytes).
void mps_set_pending_temporary(const char *path);

/// Clears the registration (after the rename or the cleanup).
void mps_clear_pending_temporary(void);

#endif
