package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Unknowns;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What resources living on a host, under an interface name, have in common: their identity is the
 * machine and the interface, so a change of either is a replacement (the old object deleted
 * first: the names are host-global).
 */
final class HostObject {
    private HostObject() {}

    /**
     * The host a host object lives on: another host is another object (replace). The interface
     * name, the other half of its identity, is marked replaceOnChanges in schema.json.
     */
    static final Set<String> IDENTITY = Set.of("connection.host", "connection.port");

    static CheckFailures checkConnectionAndInterface(ConnectionArgs connection, String interfaceName, Unknowns unknowns) {
        CheckFailures failures = new CheckFailures();
        if (connection != null) {
            failures.addAll(connection.check("connection", unknowns));
        }
        return failures.check("interfaceName", interfaceName, Validators::interfaceName);
    }

    /** {@code host:port/interface[/suffix]}, or empty while the parts are not known (preview). */
    static String id(ConnectionArgs connection, String interfaceName, String suffix) {
        if (connection == null || connection.host() == null || interfaceName == null) {
            return "";
        }
        return connection.endpoint() + "/" + interfaceName + suffix;
    }

    /** Warns about each object a removal left because it belongs to someone else ({@code left=...} lines). */
    static void warnLeft(ResourceContext ctx, String hostLabel, String scriptOutput) {
        scriptOutput.lines().filter(line -> line.startsWith("left=")).forEach(line -> ctx.warn("left " + line.substring(5)
                + " on " + hostLabel + " untouched: it is not this resource's"));
    }

    /**
     * Runs a create; if it fails after reaching the host, runs {@code undo} so that nothing is
     * left half-installed, then rethrows the failure (with undo's own failure attached, if any).
     * A create that never reached the host wrote nothing: undoing it would only dial the host
     * again, spending the whole dial-retry budget a second time on a host known to be unreachable;
     * one that refused before changing anything (another owner's object, the host lock) would only
     * find that other owner's objects and warn about leaving them.
     */
    static <T> T createOrUndo(Supplier<T> create, Runnable undo) {
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
