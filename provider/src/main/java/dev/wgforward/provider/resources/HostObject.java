package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailures;
import java.util.Set;

/**
 * What resources living on a host, under an interface name, have in common: their identity is the
 * machine and the interface, so a change of either is a replacement (the old object deleted
 * first: the names are host-global).
 */
final class HostObject {
    private HostObject() {}

    static final Set<String> IDENTITY = Set.of("connection.host", "connection.port", "interfaceName");

    static CheckFailures checkConnectionAndInterface(ConnectionArgs connection, String interfaceName) {
        CheckFailures failures = new CheckFailures();
        if (connection != null) {
            failures.addAll(connection.check("connection"));
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
}
