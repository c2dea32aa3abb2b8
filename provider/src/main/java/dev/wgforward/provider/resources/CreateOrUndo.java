package dev.wgforward.provider.resources;

import java.util.function.Supplier;

/** A create that leaves nothing half-installed on its host. */
final class CreateOrUndo {
    private CreateOrUndo() {}

    /**
     * Runs {@code create}; if it fails after reaching the host, runs {@code undo} so that nothing is
     * left half-installed, then rethrows the failure (with undo's own failure attached, if any).
     * A create that never reached the host wrote nothing: undoing it would only dial the host
     * again, spending the whole dial-retry budget a second time on a host known to be unreachable;
     * one that refused before changing anything (another owner's object, the host lock) would only
     * find that other owner's objects and warn about leaving them.
     */
    static <T> T run(Supplier<T> create, Runnable undo) {
        try {
            return create.get();
        } catch (RemoteHost.NotReached | RemoteHost.Refused nothingWritten) {
            throw nothingWritten;
        } catch (RuntimeException e) {
            try {
                undo.run();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
