package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ProviderFunction;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.host.firewall.FirewallBackend;
import dev.wgforward.provider.host.firewall.FirewallScripts;
import dev.wgforward.provider.host.firewall.FirewallState;
import dev.wgforward.provider.host.firewall.ForwardKey;
import dev.wgforward.provider.host.firewall.Protocol;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.wireguard.TunnelProbe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code wgforward:index:getTunnelStatus}: how a tunnel is doing right now, read on the relay. Per
 * peer the latest handshake's age (stale past {@code staleAfterSeconds}), bytes each way and where
 * it connects from; per forward installed on the relay, whether the relay can open the target's
 * TCP port now. Read-only; keys never leave the host.
 */
public final class TunnelStatus implements ProviderFunction<TunnelStatus.Inputs, TunnelStatus.Outputs> {
    static final String TOKEN = "wgforward:index:getTunnelStatus";

    public record Inputs(ConnectionArgs connection, String interfaceName, Integer staleAfterSeconds, Integer connectTimeoutSeconds) {}

    public record PeerStatus(String publicKey, String endpoint, List<String> allowedIps, Integer latestHandshakeSecondsAgo,
            Boolean stale, Double receivedBytes, Double sentBytes) {}

    /** {@code clientAddress}: on a relay serving several clients (a hub), the tunnel address of the client whose forward it is. */
    public record ForwardStatus(Integer port, String protocol, String targetHost, Integer targetPort, Boolean reachable, String detail,
            String clientAddress) {}

    public record Outputs(Boolean interfaceUp, String publicKey, Integer listenPort, List<PeerStatus> peers, List<ForwardStatus> forwards) {}

    private final SshConnector connector;

    public TunnelStatus(SshConnector connector) {
        this.connector = connector;
    }

    @Override
    public String token() {
        return TOKEN;
    }

    @Override
    public Class<Inputs> inputType() {
        return Inputs.class;
    }

    @Override
    public Class<Outputs> outputType() {
        return Outputs.class;
    }

    @Override
    public List<CheckFailure> check(Inputs in) {
        CheckFailures failures = new CheckFailures();
        failures.addAll(in.connection().check("connection", Unknowns.NONE));
        failures.check("interfaceName", in.interfaceName(), Validators::interfaceName)
                .check("staleAfterSeconds", in.staleAfterSeconds(), s -> Validators.staleAfterSeconds(s))
                .check("connectTimeoutSeconds", in.connectTimeoutSeconds(), s -> Validators.connectTimeoutSeconds(s));
        return failures.list();
    }

    @Override
    public Outputs invoke(ResourceContext ctx, Inputs in) {
        try (RemoteHost host = RemoteHost.open(ctx, connector, "relay", in.connection(), null, Redactor.of())) {
            ExecResult wg = host.probe("read the state of " + in.interfaceName(), TunnelProbe.interfaceScript(in.interfaceName()));
            if (!wg.ok()) {
                throw new ProviderException("could not read " + in.interfaceName() + " on relay " + host.label() + ": " + wg.stderr().strip());
            }
            TunnelProbe.InterfaceState state = TunnelProbe.parseInterface(wg.stdout());
            List<PeerStatus> peers = new ArrayList<>();
            for (TunnelProbe.Peer p : state.peers()) {
                Integer age = p.latestHandshake().isPresent() ? (int) Math.max(0, state.hostNow() - p.latestHandshake().getAsLong()) : null;
                peers.add(new PeerStatus(p.publicKey(), p.endpoint().orElse(null), p.allowedIps(), age,
                        age == null || age > in.staleAfterSeconds(), (double) p.receivedBytes(), (double) p.sentBytes()));
            }

            List<ForwardStatus> forwards = new ArrayList<>();
            FirewallBackend backend = FirewallBackend.parse(host.probe("find the firewall the relay uses", FirewallScripts.detectBackend())
                    .stdout().strip());
            ExecResult listing = host.probe("list wgforward rules", FirewallScripts.list(backend, in.interfaceName()));
            if (listing.ok()) {
                Map<ForwardKey, String> targets = FirewallState.parse(backend, in.interfaceName(), listing.stdout()).dnatTargets();
                List<Map.Entry<ForwardKey, String>> sorted = new ArrayList<>(targets.entrySet());
                sorted.sort(Comparator.comparingInt((Map.Entry<ForwardKey, String> e) -> e.getKey().port())
                        .thenComparing(e -> e.getKey().protocol().keyword())
                        .thenComparing(e -> e.getKey().client() == null ? "" : e.getKey().client()));
                List<TunnelProbe.Target> tcp = new ArrayList<>();
                for (Map.Entry<ForwardKey, String> e : sorted) {
                    if (e.getKey().protocol() == Protocol.TCP) {
                        tcp.add(target(e.getValue()));
                    }
                }
                Map<String, Boolean> reached = tcp.isEmpty() ? Map.of()
                        : TunnelProbe.parseReach(host.probe("try each forward's target", TunnelProbe.reachScript(tcp, in.connectTimeoutSeconds()))
                                .stdout());
                for (Map.Entry<ForwardKey, String> e : sorted) {
                    TunnelProbe.Target t = target(e.getValue());
                    boolean isTcp = e.getKey().protocol() == Protocol.TCP;
                    Boolean reachable = isTcp ? reached.getOrDefault(e.getValue(), false) : null;
                    String detail = !isTcp ? "not tried: UDP has no connection to open"
                            : reachable ? "the relay opened a TCP connection to " + e.getValue()
                            : "the relay could not open a TCP connection to " + e.getValue() + " within " + in.connectTimeoutSeconds() + " s";
                    forwards.add(new ForwardStatus(e.getKey().port(), e.getKey().protocol().keyword(), t.host(), t.port(), reachable, detail,
                            e.getKey().client()));
                }
            }
            return new Outputs(state.up(), state.publicKey(), state.listenPort(), peers, forwards);
        }
    }

    /** A DNAT target as the listing names it: {@code 10.200.0.2:22}, or {@code [2001:db8:200::2]:22} for an IPv6 one. */
    static TunnelProbe.Target target(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new TunnelProbe.Target(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
}
