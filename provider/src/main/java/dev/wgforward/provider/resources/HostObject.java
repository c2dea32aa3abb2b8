package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.Unknowns;
import java.util.Set;

/**
 * The identity of resources living on a host under an interface name: the machine and the
 * interface, so a change of either is a replacement (the old object deleted first: the names are
 * host-global). Their id is made of both, and both are checked alike.
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
}
