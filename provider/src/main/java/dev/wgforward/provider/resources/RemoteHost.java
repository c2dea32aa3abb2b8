package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.ssh.CancelToken;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.HostException;
import dev.wgforward.provider.host.ssh.HostKeyMismatchException;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.HostUnreachableException;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.time.Duration;

/**
 * One resource operation's connection to its host: each step is announced in `pulumi up`, runs as
 * a script over stdin, and a failure names the step, the host, the exit code and stderr, with
 * secrets redacted.
 */
final class RemoteHost implements AutoCloseable {
    /** A step's time limit unless the resource's customTimeouts say otherwise. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private static final int STDERR_TAIL = 2000;

    private final ResourceContext ctx;
    private final HostSession session;
    private final Redactor redactor;
    private final String role;

    private RemoteHost(ResourceContext ctx, HostSession session, Redactor redactor, String role) {
        this.ctx = ctx;
        this.session = session;
        this.redactor = redactor;
        this.role = role;
    }

    /**
     * Connects. The host key is pinned to {@code connection.hostKey} when given, else to the key
     * seen on first contact (kept in the state as {@code observedHostKey}), else trusted and
     * recorded now.
     */
    static RemoteHost open(ResourceContext ctx, SshConnector connector, String role, ConnectionArgs connection,
            String observedHostKey, Redactor secrets) {
        SshTarget target = connection.toTarget();
        HostKeyPolicy policy;
        if (target.hostKey().isPresent()) {
            policy = HostKeyPolicy.forTarget(target);
        } else if (observedHostKey != null && !observedHostKey.isBlank()) {
            policy = HostKeyPolicy.pinned(observedHostKey);
        } else {
            policy = HostKeyPolicy.trustOnFirstUse();
        }
        DialListener listener = (hop, attempt, limit, reason) -> ctx.info(role + ": " + DialListener.describe(hop, attempt, limit, reason));
        try {
            // Ctrl-C on `pulumi up` and customTimeouts also end a long wait for a host to come up.
            CancelToken cancel = ctx.timeout().map(t -> CancelToken.of(ctx.cancelled(), t, ctx.startedNanos()))
                    .orElseGet(() -> CancelToken.of(ctx.cancelled()));
            HostSession session = connector.open(target, policy, listener, secrets, cancel);
            if (policy instanceof HostKeyPolicy.TrustOnFirstUse) {
                ctx.info(role + ": first contact with " + session.label() + ", host key " + session.hostKey()
                        + " (recorded; set connection.hostKey to pin it yourself)");
            }
            return new RemoteHost(ctx, session, secrets, role);
        } catch (HostKeyMismatchException e) {
            throw new NotReached(role + ": " + secrets.redact(e.getMessage())
                    + (target.hostKey().isEmpty() ? " (the key differs from the one recorded on first contact;"
                            + " if the host was rebuilt, set connection.hostKey to its new key)" : ""), e);
        } catch (HostUnreachableException e) {
            // The classic dead end of SSH-managed resources: the machine was deleted first.
            throw new NotReached(role + ": " + secrets.redact(e.getMessage())
                    + "\nIf this host is gone for good, nothing is left to remove there: `pulumi state delete '"
                    + ctx.urn() + "'` makes Pulumi forget this resource (the next `pulumi up` installs it where the program"
                    + " now points); for hosts thrown away with their VM, the resource option `retainOnDelete: true` makes"
                    + " Pulumi forget them on delete without dialing.", e);
        } catch (HostException e) {
            throw new NotReached(role + ": " + secrets.redact(e.getMessage()), e);
        }
    }

    /**
     * Connecting failed (unreachable, refused credentials, a host key that does not match): not a
     * single command ran on the host, so there is nothing there to undo.
     */
    static final class NotReached extends ProviderException {
        NotReached(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A step that refused before changing anything (exit 73: an object that is not this resource's,
     * a taken port; exit 75: another run holds the host lock): there is nothing to undo either.
     */
    static final class Refused extends ProviderException {
        static final int EXIT_NOT_OURS = 73;
        static final int EXIT_LOCK_HELD = 75;

        Refused(String message) {
            super(message);
        }

        static boolean exitCode(int code) {
            return code == EXIT_NOT_OURS || code == EXIT_LOCK_HELD;
        }
    }

    String hostKey() {
        return session.hostKey();
    }

    String label() {
        return session.label();
    }

    /**
     * Serializes the steps that change a host across every wgforward run on it (stacks share a
     * relay: its firewall, ip_forward and boot units). The lock is an flock on a file in /run/lock, held
     * by the step's shell: a run killed mid-step releases it with its process, so nothing can stay
     * stuck. Processes a step leaves running (wireguard-go) close fd 9 first.
     */
    static final String HOST_LOCK = """
            if command -v flock >/dev/null 2>&1 && { [ -d /run/lock ] || [ -d /run ]; }; then
              if [ -d /run/lock ]; then wgf_lock=/run/lock/wgforward.lock; else wgf_lock=/run/wgforward.lock; fi
              exec 9>>"$wgf_lock"
              flock -w 600 9 || { echo "wgforward: another wgforward run has held $wgf_lock on this host for 10 minutes; try again (a run that was killed releases it at once)" >&2; exit 75; }
            fi
            """;

    /** Names the step inside the script itself, so that the host's logs (and the lab's fault gate) can tell steps apart. */
    static String named(String description, String script) {
        return "# wgforward step: " + description.replace('\n', ' ').replace('\r', ' ') + "\n" + script;
    }

    /**
     * A script that was a step by itself, as one part of a larger step: it runs in a shell of its
     * own (its own options, variables and early exits, stdin closed: exactly as alone), and a
     * failure ends the step with its exit code. Parts let one step do the work of several in one
     * round trip, under one hold of the host lock. The part's output is marked as {@code name}
     * (see {@link #partOutput}).
     */
    static String part(String name, String script) {
        return partScript(name, script) + "[ \"$wgf_rc\" -eq 0 ] || exit \"$wgf_rc\"\n";
    }

    /** Like {@link #part}, for a read-only look whose exit code is no failure of the step. */
    static String readOnlyPart(String name, String script) {
        return partScript(name, script);
    }

    private static String partScript(String name, String script) {
        // The || keeps a calling shell's set -e from ending the step before the end mark; the
        // part's own set -e is its own (another process).
        return "echo 'wgforward-part " + name + "'\n"
                + "wgf_rc=0\n"
                + "sh <<'WGFORWARD_PART' || wgf_rc=$?\n"
                + "{\n" + script + (script.endsWith("\n") ? "" : "\n") + "} </dev/null\n"
                + "WGFORWARD_PART\n"
                + "echo 'wgforward-part-end " + name + "'\n";
    }

    /** What the part {@code name} printed in a step's output ("" when it did not run). */
    static String partOutput(String output, String name) {
        String begin = "wgforward-part " + name + "\n";
        String end = "wgforward-part-end " + name + "\n";
        int from = output.indexOf(begin);
        int to = from < 0 ? -1 : output.indexOf(end, from + begin.length());
        return to < 0 ? "" : output.substring(from + begin.length(), to);
    }

    /** Runs one named step under the host lock; a non-zero exit fails the operation with the step's stderr. */
    String step(String description, String script) {
        ctx.throwIfCancelled();
        ctx.info(role + " " + session.label() + ": " + description);
        ExecResult result = run(description, named(description, HOST_LOCK + script));
        if (!result.ok()) {
            String stderr = redactor.redact(result.stderr()).strip();
            if (stderr.length() > STDERR_TAIL) {
                stderr = "..." + stderr.substring(stderr.length() - STDERR_TAIL);
            }
            String message = "step '" + description + "' failed on " + role + " " + session.label()
                    + " (exit " + result.exitCode() + ")" + (stderr.isEmpty() ? "" : ":\n" + stderr);
            throw Refused.exitCode(result.exitCode()) ? new Refused(message) : new ProviderException(message);
        }
        return result.stdout();
    }

    /** Runs a read-only probe whose exit code is an answer, not a failure. */
    ExecResult probe(String description, String script) {
        ctx.throwIfCancelled();
        ctx.debug(role + " " + session.label() + ": " + description);
        return run(description, named(description, script));
    }

    /** Writes a file (atomically, content only via stdin) as one named step. */
    void writeFile(String description, String path, String content, String mode) {
        ctx.throwIfCancelled();
        ctx.info(role + " " + session.label() + ": " + description);
        try {
            session.writeFile(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), mode);
        } catch (HostException e) {
            throw new ProviderException("step '" + description + "' failed on " + role + ": " + redactor.redact(e.getMessage()), e);
        }
    }

    private ExecResult run(String description, String script) {
        try {
            return session.run(script, ctx.timeout().orElse(STEP_TIMEOUT));
        } catch (HostException e) {
            throw new ProviderException("step '" + description + "' failed on " + role + ": " + redactor.redact(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
