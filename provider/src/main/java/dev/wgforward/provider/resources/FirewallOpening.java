package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.TypedResource;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.host.InputOpening;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wgforward:index:FirewallOpening}: one port let in through a host's input firewall, in the
 * tool the host uses (see {@link InputOpening}): what {@code relay.openFirewall} asks for the
 * WireGuard port. Opt-in, since the input firewall is the admin's; destroy removes exactly what
 * it added, and refresh notices an opening removed by hand.
 */
public final class FirewallOpening extends TypedResource<FirewallOpening.Inputs, FirewallOpening.Outputs> {
    static final String TOKEN = "wgforward:index:FirewallOpening";

    public record Inputs(ConnectionArgs connection, Integer port, String protocol) {}

    public record Outputs(String opening, String observedHostKey) {}

    private final SshConnector connector;

    public FirewallOpening(SshConnector connector) {
        super(TOKEN, Inputs.class, Outputs.class);
        this.connector = connector;
    }

    /** Another host is another opening (port and protocol are marked in schema.json). */
    @Override
    public Set<String> replaceOnChanges() {
        return HostObject.IDENTITY;
    }

    @Override
    public List<CheckFailure> check(Inputs in, Unknowns unknowns) {
        CheckFailures failures = new CheckFailures();
        if (in.connection() != null) {
            failures.addAll(in.connection().check("connection", unknowns));
        }
        return failures.check("port", in.port(), port -> Validators.port(port))
                .check("protocol", in.protocol(), Validators::protocol)
                .list();
    }

    private static String id(Inputs in) {
        return in.connection() == null || in.connection().host() == null || in.port() == null ? ""
                : in.connection().endpoint() + "/input/" + in.port() + "/" + protocol(in);
    }

    private static String protocol(Inputs in) {
        return in.protocol() == null ? "udp" : in.protocol();
    }

    private static String what(Inputs in) {
        return protocol(in).toUpperCase(java.util.Locale.ROOT) + " port " + in.port();
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs in) {
        if (ctx.preview()) {
            return new Created<>(id(in), new Outputs(null, null));
        }
        return new Created<>(id(in), open(ctx, in, null));
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        if (ctx.preview()) {
            return olds.outputs();
        }
        return open(ctx, news, olds.outputs().observedHostKey());
    }

    private Outputs open(ResourceContext ctx, Inputs in, String knownHostKey) {
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), knownHostKey, Redactor.of())) {
            String out = host.step("let " + what(in) + " in through the host's input firewall (ufw, firewalld, or a tagged rule first in"
                    + " the chain that drops)", InputOpening.open(in.port(), protocol(in), owner));
            String how = out.lines().filter(l -> l.startsWith("opened=")).map(l -> l.substring("opened=".length()))
                    .reduce((a, b) -> b).orElseThrow(() -> new ProviderException("opening " + what(in) + " on " + host.label()
                            + " printed no result"));
            ctx.info("host " + host.label() + ": " + switch (how.split(" ")[0]) {
                case "already" -> what(in) + " is let in already by the host's own firewall rules: nothing added";
                case "none" -> "its input firewall drops nothing by default: nothing to open for " + what(in);
                default -> what(in) + " let in through " + how;
            });
            return new Outputs(how, host.hostKey());
        }
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Inputs in = state.inputs();
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        ExecResult result;
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), state.outputs().observedHostKey(), Redactor.of())) {
            result = host.probe("look for the opening of " + what(in) + " in " + state.outputs().opening(),
                    InputOpening.present(in.port(), protocol(in), owner, state.outputs().opening()));
            if (!result.ok()) {
                throw new ProviderException("could not look at the input firewall of " + host.label() + ": " + result.stderr().strip());
            }
        }
        if (!result.stdout().contains("present=yes")) {
            ctx.warn(what(in) + " is no longer let in through " + state.outputs().opening() + "; the next `pulumi up` opens it again");
            return Optional.empty();
        }
        return Optional.of(state);
    }

    @Override
    public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Inputs in = state.inputs();
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), state.outputs().observedHostKey(), Redactor.of())) {
            host.step("close " + what(in) + " in " + state.outputs().opening() + " (what wgforward opened, nothing else)",
                    InputOpening.close(in.port(), protocol(in), owner, state.outputs().opening()));
        }
    }
}
