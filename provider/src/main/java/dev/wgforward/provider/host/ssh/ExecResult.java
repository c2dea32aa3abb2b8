package dev.wgforward.provider.host.ssh;

/** What a remote script did; stdout and stderr are already redacted. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    /** The exit code when the remote process ended without one (killed by a signal). */
    public static final int NO_EXIT_CODE = -1;

    public boolean ok() {
        return exitCode == 0;
    }
}
