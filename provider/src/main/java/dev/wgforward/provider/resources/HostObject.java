package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.TypedResource;
import dev.wgforward.provider.framework.Unknowns;
import java.util.List;
import java.util.Set;

/**
 * A resource living on a host under an interface name (the tunnel interface, the forwarding
 * rules of that interface). Its identity is the machine and the interface: a change of either is
 * a replacement, the old object deleted first (the names are host-global). Its id is made of
 * both, and both are checked alike.
 */
abstract class HostObject<I extends Record, O extends Record> extends TypedResource<I, O> {

    /**
     * The host a host object lives on: another host is another object (replace). The interface
     * name, the other half of its identity, is marked replaceOnChanges in schema.json.
     */
    static final Set<String> IDENTITY = Set.of("connection.host", "connection.port");

    HostObject(String token, Class<I> inputType, Class<O> outputType) {
        super(token, inputType, outputType);
    }

    @Override
    public final Set<String> replaceOnChanges() {
        return IDENTITY;
    }

    /** The old object and the new one would have the same name on the same host. */
    @Override
    public final boolean deleteBeforeReplace() {
        return true;
    }

    /** Host objects check with {@link #check(Record, Unknowns)}: a connection key's passphrase may be unknown yet. */
    @Override
    public final List<CheckFailure> check(I in) {
        return check(in, Unknowns.NONE);
    }

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
