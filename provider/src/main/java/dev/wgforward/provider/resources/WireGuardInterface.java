package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CustomResource;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.wireguard.WgConfigRenderer;
import dev.wgforward.provider.host.wireguard.WgHostScripts;
import dev.wgforward.provider.host.wireguard.WgHostScripts.Observed;
import dev.wgforward.provider.host.wireguard.WgHostScripts.ObservedPeer;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.host.wireguard.WgPeer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code wgforward:index:WireGuardInterface}: one WireGuard interface on a host reached over SSH —
 * its wg-quick config file (0600) and the live interface with its peers, address and routes.
 * The ID is {@code host:port/interface}: the interface is a host-global name, so a replacement
 * deletes the old one first.
 */
public final class WireGuardInterface implements CustomResource<WireGuardInterface.Inputs, WireGuardInterface.Outputs> {

    public record PeerArgs(String publicKey, List<String> allowedIps, String endpoint, Integer persistentKeepalive) {}

    public record Inputs(ConnectionArgs connection, String interfaceName, String address, String privateKey,
            Integer listenPort, Integer mtu, List<PeerArgs> peers) {}

    public record Outputs(String publicKey, String implementation, String observedHostKey) {}

    private final SshConnector connector;

    public WireGuardInterface(SshConnector connector) {
        this.connector = connector;
    }

    @Override
    public String token() {
        return "wgforward:index:WireGuardInterface";
    }

    @Override
    public Class<Inputs> inputType() {
        return Inputs.class;
    }

    @Override
    public Class<Outputs> outputType() {
        return Outputs.class;
    }

    /** Another machine or another interface name is another object: replace, deleting the old first. */
    @Override
    public Set<String> replaceOnChanges() {
        return Set.of("connection.host", "connection.port", "interfaceName");
    }

    @Override
    public boolean deleteBeforeReplace() {
        return true;
    }

    @Override
    public List<CheckFailure> check(Inputs in) {
        List<CheckFailure> failures = new ArrayList<>();
        if (in.connection() != null) {
            failures.addAll(in.connection().check("connection"));
        }
        if (in.interfaceName() != null) {
            Validators.interfaceName(in.interfaceName()).ifPresent(r -> failures.add(new CheckFailure("interfaceName", r)));
        }
        if (in.address() != null) {
            Validators.ipv4Cidr(in.address()).ifPresent(r -> failures.add(new CheckFailure("address", r)));
        }
        if (in.privateKey() != null) {
            Validators.wireguardKey(in.privateKey()).ifPresent(r -> failures.add(new CheckFailure("privateKey", r)));
        }
        if (in.listenPort() != null) {
            Validators.port(in.listenPort()).ifPresent(r -> failures.add(new CheckFailure("listenPort", r)));
        }
        if (in.mtu() != null && (in.mtu() < 1280 || in.mtu() > 9000)) {
            failures.add(new CheckFailure("mtu", "must be 1280 to 9000, got " + in.mtu()));
        }
        if (in.peers() != null) {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < in.peers().size(); i++) {
                PeerArgs p = in.peers().get(i);
                String path = "peers[" + i + "]";
                if (p == null) {
                    continue; // unknown until the values it comes from exist (a null item is a type error)
                }
                if (p.publicKey() != null) {
                    Validators.wireguardKey(p.publicKey()).ifPresent(r -> failures.add(new CheckFailure(path + ".publicKey", r)));
                    if (!keys.add(p.publicKey())) {
                        failures.add(new CheckFailure(path + ".publicKey", "appears twice; each peer needs its own key"));
                    }
                }
                if (p.allowedIps() != null) {
                    for (int j = 0; j < p.allowedIps().size(); j++) {
                        String ip = p.allowedIps().get(j);
                        if (ip != null) {
                            int jj = j;
                            Validators.ipv4Cidr(ip).ifPresent(r -> failures.add(new CheckFailure(path + ".allowedIps[" + jj + "]", r)));
                        }
                    }
                }
                if (p.endpoint() != null) {
                    Validators.endpoint(p.endpoint()).ifPresent(r -> failures.add(new CheckFailure(path + ".endpoint", r)));
                }
                if (p.persistentKeepalive() != null && (p.persistentKeepalive() < 0 || p.persistentKeepalive() > 65535)) {
                    failures.add(new CheckFailure(path + ".persistentKeepalive", "must be 0 (off) to 65535 seconds"));
                }
            }
        }
        return failures;
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs in) {
        String id = in.connection() == null || in.connection().host() == null || in.interfaceName() == null ? ""
                : in.connection().endpoint() + "/" + in.interfaceName();
        if (ctx.preview()) {
            return new Created<>(id, new Outputs(in.privateKey() == null ? null : WgKeys.publicKeyOf(in.privateKey()), null, null));
        }
        try {
            return new Created<>(id, apply(ctx, in, null));
        } catch (RuntimeException e) {
            // Nothing half-installed: take down what this attempt may have made, then report.
            try {
                delete(ctx, id, new State<>(in, new Outputs(null, null, null)));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        if (ctx.preview()) {
            return new Outputs(news.privateKey() == null ? null : WgKeys.publicKeyOf(news.privateKey()),
                    olds.outputs().implementation(), olds.outputs().observedHostKey());
        }
        return apply(ctx, news, olds.outputs().observedHostKey());
    }

    private Outputs apply(ResourceContext ctx, Inputs in, String knownHostKey) {
        WgInterface wg = toWgInterface(in);
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), knownHostKey, Redactor.of(in.privateKey()))) {
            host.writeFile("write " + WgHostScripts.configPath(in.interfaceName()) + " (0600)",
                    WgHostScripts.configPath(in.interfaceName()), WgConfigRenderer.wgQuick(wg), "600");
            String out = host.step("bring up WireGuard interface " + in.interfaceName() + " (" + in.address() + ", "
                    + wg.peers().size() + " peer(s))", WgHostScripts.up(wg));
            String impl = out.lines().filter(l -> l.startsWith("implementation=")).map(l -> l.substring("implementation=".length()))
                    .findFirst().orElse("unknown");
            if (impl.equals("wireguard-go")) {
                ctx.info("host " + host.label() + ": no WireGuard kernel module, running " + in.interfaceName() + " in wireguard-go");
            }
            return new Outputs(WgKeys.publicKeyOf(in.privateKey()), impl, host.hostKey());
        }
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Inputs in = state.inputs();
        Observed seen;
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), state.outputs().observedHostKey(),
                Redactor.of(in.privateKey()))) {
            var result = host.probe("inspect " + in.interfaceName(), WgHostScripts.inspect(in.interfaceName()));
            if (!result.ok()) {
                throw new dev.wgforward.provider.framework.ProviderException("could not inspect " + in.interfaceName()
                        + " on " + host.label() + ": " + result.stderr().strip());
            }
            seen = WgHostScripts.parse(result.stdout());
        }
        if (!seen.present()) {
            ctx.warn("interface " + in.interfaceName() + " is gone from the host; the next `pulumi up` recreates it");
            return Optional.empty();
        }
        // Report what is really there, so that a drift shows as a diff and the next up repairs it.
        List<PeerArgs> peers = new ArrayList<>();
        List<PeerArgs> wanted = in.peers() == null ? List.of() : in.peers();
        for (ObservedPeer p : seen.peers()) {
            PeerArgs declared = wanted.stream().filter(w -> p.publicKey().equals(w.publicKey())).findFirst().orElse(null);
            // A learned endpoint (a client behind NAT) is not drift: report the declared one.
            String endpoint = declared == null ? p.endpoint().orElse(null) : declared.endpoint();
            Integer keepalive = p.persistentKeepalive().orElse(declared != null && declared.persistentKeepalive() != null
                    && declared.persistentKeepalive() == 0 ? 0 : null);
            peers.add(new PeerArgs(p.publicKey(), p.allowedIps(), endpoint, keepalive));
        }
        peers.sort(java.util.Comparator.comparingInt(p -> indexOf(wanted, p.publicKey())));
        Inputs observed = new Inputs(in.connection(), in.interfaceName(),
                seen.addresses().size() == 1 ? seen.addresses().get(0) : String.join(",", seen.addresses()),
                seen.privateKey().filter(k -> k.equals(in.privateKey())).orElse(null),
                in.listenPort() == null ? null : seen.listenPort().orElse(null),
                seen.mtu().orElse(null),
                peers);
        return Optional.of(new State<>(observed, new Outputs(state.outputs().publicKey(), seen.implementation(),
                state.outputs().observedHostKey())));
    }

    private static int indexOf(List<PeerArgs> peers, String publicKey) {
        for (int i = 0; i < peers.size(); i++) {
            if (publicKey.equals(peers.get(i).publicKey())) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Override
    public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Inputs in = state.inputs();
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), state.outputs().observedHostKey(),
                Redactor.of(in.privateKey()))) {
            host.step("remove WireGuard interface " + in.interfaceName() + " and its config", WgHostScripts.down(in.interfaceName()));
        }
    }

    static WgInterface toWgInterface(Inputs in) {
        List<WgPeer> peers = new ArrayList<>();
        if (in.peers() != null) {
            for (PeerArgs p : in.peers()) {
                peers.add(new WgPeer(p.publicKey(), p.allowedIps() == null ? List.of() : p.allowedIps(),
                        Optional.ofNullable(p.endpoint()),
                        p.persistentKeepalive() == null || p.persistentKeepalive() == 0 ? OptionalInt.empty() : OptionalInt.of(p.persistentKeepalive()),
                        Optional.empty()));
            }
        }
        return new WgInterface(in.interfaceName(), in.address(),
                in.listenPort() == null ? OptionalInt.empty() : OptionalInt.of(in.listenPort()), in.privateKey(),
                in.mtu() == null ? OptionalInt.empty() : OptionalInt.of(in.mtu()), peers);
    }
}
