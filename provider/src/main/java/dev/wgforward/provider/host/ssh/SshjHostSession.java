package dev.wgforward.provider.host.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * A {@link HostSession}: one caller's lease on a pooled connection (the last of a proxy chain).
 * The connection may serve other callers at the same time, each script in a channel of its own;
 * what is the caller's stays here: its redactor (so each caller's output and errors hide its own
 * secrets, and never reach another caller), its stream threads, and its lease.
 */
final class SshjHostSession implements HostSession {

    static final String ROOT_COMMAND = "sh -s";
    static final String SUDO_COMMAND = "sudo -n sh -s";

    // Output still in flight when the channel reports its close is drained within this.
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(5);

    /** Dials (or leases) a fresh connection to the same target, pinned to the key it presented. */
    @FunctionalInterface
    interface Reconnect {
        PooledConnection connect(String presentedHostKey);
    }

    private final SshTarget target;
    private final Redactor redactor;
    private final ConnectionPool pool;
    private final Reconnect reconnect;
    private final ExecutorService streams;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PooledConnection connection;

    SshjHostSession(SshTarget target, PooledConnection connection, Redactor redactor, ConnectionPool pool,
                    Reconnect reconnect) {
        this.target = target;
        this.connection = connection;
        this.redactor = redactor;
        this.pool = pool;
        this.reconnect = reconnect;
        this.streams = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "wgforward-ssh-io " + target.endpoint());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A channel for one script. A connection that broke before the script was sent (a pooled one
     * that died while idle, say) ran nothing of it: it is evicted and the script goes out on a
     * fresh one, dialed as the caller's own dial would be.
     */
    private Session startSession() {
        PooledConnection current = connection;
        try {
            return current.client().startSession();
        } catch (OpenFailException refused) {
            // The host refused a channel on a working connection (sshd's MaxSessions, say).
            throw new HostException(label(), "could not open an SSH session: " + redactor.redact(refused.getMessage()), refused);
        } catch (IOException | IllegalStateException e) { // sshj: IllegalStateException "Not connected"
            pool.evict(current);
            PooledConnection fresh = replace(current);
            try {
                return fresh.client().startSession();
            } catch (IOException | IllegalStateException again) {
                throw new HostException(label(), "could not open an SSH session: " + redactor.redact(again.getMessage()), again);
            }
        }
    }

    private synchronized PooledConnection replace(PooledConnection broken) {
        if (connection != broken) {
            return connection; // another script of this session already replaced it
        }
        PooledConnection fresh = reconnect.connect(broken.hostKey());
        connection = fresh;
        pool.release(broken);
        return fresh;
    }

    @Override
    public ExecResult run(String script, Duration timeout) {
        if (closed.get()) {
            throw new HostException(label(), "the SSH session is closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // The script goes to stdin, never into the command: a command line is visible to
        // every local user in ps and lands in sudo's log.
        String command = isRoot() ? ROOT_COMMAND : SUDO_COMMAND;
        Session session = startSession();
        try {
            Session.Command process = session.exec(command);
            Future<byte[]> stdout = streams.submit(() -> readAll(process.getInputStream()));
            Future<byte[]> stderr = streams.submit(() -> readAll(process.getErrorStream()));
            // Written from another thread: a host that stops reading must not block us past
            // the timeout.
            Future<Void> stdin = streams.submit(() -> writeAndClose(process.getOutputStream(), wrap(script)));
            try {
                process.join(remainingNanos(deadline), TimeUnit.NANOSECONDS);
            } catch (ConnectionException e) {
                // A channel that closed meanwhile has its complete result below; otherwise:
                if (process.isOpen() && System.nanoTime() - deadline >= 0) {
                    throw new HostException(label(), "the script did not finish within " + Durations.human(timeout)
                            + "; its session was closed (the remote process may still be running)");
                }
                if (process.isOpen()) {
                    pool.evict(connection);
                    throw new HostException(label(), "the SSH connection failed while a script ran: "
                            + redactor.redact(e.getMessage()), e);
                }
            }
            String out = decode(await(stdout, "stdout"));
            String err = decode(await(stderr, "stderr"));
            Integer exitStatus = process.getExitStatus();
            if (exitStatus == null && !client().isConnected()) {
                throw connectionLost(null);
            }
            if (exitStatus == null) {
                String signal = process.getExitSignal() == null ? "an unknown cause" : "signal " + process.getExitSignal();
                err = err + (err.isEmpty() || err.endsWith("\n") ? "" : "\n") + "(ended by " + signal + ")";
            }
            ExecResult result = new ExecResult(exitStatus == null ? ExecResult.NO_EXIT_CODE : exitStatus,
                    redactor.redact(out), redactor.redact(err));
            checkSudo(result);
            checkScriptArrivedWhole(stdin, result);
            return result;
        } catch (IOException e) {
            if (!client().isConnected()) {
                throw connectionLost(e);
            }
            throw new HostException(label(), "running a script failed: " + redactor.redact(e.getMessage()), e);
        } finally {
            closeQuietly(session);
        }
    }

    /**
     * Braces make sh read the whole script before running any of it, and {@code </dev/null}
     * keeps commands that read stdin (apt-get, a prompt) from swallowing the rest of the
     * script; a syntax error also fails before anything ran.
     */
    static String wrap(String script) {
        return "{\n" + script + (script.endsWith("\n") ? "" : "\n") + "} </dev/null\n";
    }

    /**
     * With {@code sudo -n}, sudo fails instead of prompting. Its messages are recognizable, and
     * the script cannot have printed anything since it never started.
     */
    private void checkSudo(ExecResult result) {
        if (isRoot() || result.ok() || !result.stdout().isEmpty()) {
            return;
        }
        String stderr = result.stderr().strip();
        String firstLine = stderr.lines().findFirst().orElse("");
        boolean sudoRefused = firstLine.startsWith("sudo:") && (stderr.contains("password is required")
                || stderr.contains("terminal is required") || stderr.contains("not in the sudoers")
                || stderr.contains("not allowed to") || stderr.contains("may not run sudo"));
        if (sudoRefused) {
            throw new HostException(label(), "user '" + target.user() + "' on host needs passwordless sudo"
                    + " (NOPASSWD in sudoers, as on cloud images), or connect as root: " + firstLine);
        }
        if (result.exitCode() == 127 && firstLine.contains("sudo") && firstLine.contains("not found")) {
            throw new HostException(label(), "user '" + target.user() + "' is not root and sudo is not installed"
                    + " on the host: " + firstLine);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static Void writeAndClose(OutputStream stdin, String script) throws IOException {
        // Closing sends EOF: that is what ends "sh -s". The explicit flush matters: sshj's
        // close() sends only what fits into the host's receive window at that moment, drops
        // the rest and sends EOF anyway, so a host slow to read would get a truncated script.
        // flush() waits for the window instead (and fails loudly if it never opens).
        try (stdin) {
            stdin.write(script.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        return null;
    }

    /**
     * A script that did not arrive whole did not run: thanks to {@link #wrap} sh rejected it
     * with a syntax error. That exit code and stderr describe our failure to send, not the
     * host, so the caller gets the real cause instead of a "result".
     */
    private void checkScriptArrivedWhole(Future<Void> stdin, ExecResult result) {
        try {
            stdin.get(OUTPUT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(label(), "interrupted while sending the script");
        } catch (ExecutionException | TimeoutException e) {
            stdin.cancel(true);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String why = e instanceof TimeoutException ? "the host stopped reading it"
                    : redactor.redact(String.valueOf(cause.getMessage()));
            throw new HostException(label(), "the script could not be sent whole, so it did not run ("
                    + why + "); the host reported exit code "
                    + result.exitCode() + RemoteFileScript.stderrSuffix(result.stderr()), cause);
        }
    }

    private byte[] await(Future<byte[]> output, String name) {
        try {
            return output.get(OUTPUT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException(label(), "interrupted while reading the script's " + name);
        } catch (ExecutionException | TimeoutException e) {
            output.cancel(true);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // A transport or channel failure while reading: the connection broke under the script.
            if (!client().isConnected() || !client().getTransport().isRunning() || cause instanceof SSHException) {
                throw connectionLost(cause);
            }
            throw new HostException(label(), "could not read the script's " + name + ": "
                    + redactor.redact(String.valueOf(cause.getMessage())), cause);
        }
    }

    /**
     * The connection dropped while a script ran: whether the script ran, in part or in full, is
     * unknown. Every wgforward script is idempotent, so the next run finishes what this one began.
     */
    private HostException connectionLost(Throwable cause) {
        // Never handed out again: the next caller (or this one's next step) dials afresh.
        pool.evict(connection);
        return new HostException(label(), "the SSH connection was lost while the script ran (it may have run in part or in full;"
                + " running again finishes the work)" + (cause == null || cause.getMessage() == null ? ""
                        : ": " + redactor.redact(cause.getMessage())), cause);
    }

    private static long remainingNanos(long deadline) {
        // sshj reads a timeout of 0 as "wait forever".
        return Math.max(1, deadline - System.nanoTime());
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private SSHClient client() {
        return connection.client();
    }

    @Override
    public String label() {
        return target.label();
    }

    @Override
    public String hostKey() {
        return connection.hostKey();
    }

    @Override
    public boolean isRoot() {
        return target.isRoot();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            streams.shutdownNow();
            pool.release(connection);
        }
    }

    @Override
    public String toString() {
        return "HostSession[" + label() + (closed.get() ? ", closed" : "") + "]";
    }

    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // Closing is best effort: the peer may already be gone, which is the point.
        }
    }
}
