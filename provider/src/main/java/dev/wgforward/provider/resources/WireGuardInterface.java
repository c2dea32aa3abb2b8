package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.InputFirewall;
import dev.wgforward.provider.host.InputOpening;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.wireguard.WgHostScripts;
import dev.wgforward.provider.host.wireguard.WgHostScripts.Observed;
import dev.wgforward.provider.host.wireguard.WgHostScripts.ObservedPeer;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.host.wireguard.WgPeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code wgforward:index:WireGuardInterface}: one WireGuard interface on a host reached over SSH —
 * its wg-quick config file (0600) and the live interface with its peers, address and routes.
 * The ID is {@code host:port/interface}: the interface is a host-global name, so a replacement
 * deletes the old one first.
 */
public final class WireGuardInterface extends HostObject<WireGuardInterface.Inputs, WireGuardInterface.Outputs> {
    static final String TOKEN = "wgforward:index:WireGuardInterface";

    public record PeerArgs(String publicKey, List<String> allowedIps, String endpoint, Integer persistentKeepalive) {}

    public record Inputs(ConnectionArgs connection, String interfaceName, String address, String address6, String privateKey,
            Integer listenPort, Integer mtu, List<PeerArgs> peers) {}

    public record Outputs(String publicKey, String implementation, String observedHostKey) {}

    private final SshConnector connector;

    public WireGuardInterface(SshConnector connector) {
        super(TOKEN, Inputs.class, Outputs.class);
        this.connector = connector;
    }

    static final String CONFIG = "config";

    @Override
    public Set<String> plannedOutputs() {
        return Set.of(CONFIG);
    }

    /**
     * The config file the host gets, its private key redacted (see {@link
     * WgHostScripts#redactedConfigFile}): known in preview as soon as the inputs it shows are, the
     * private key aside.
     */
    @Override
    public Map<String, String> plan(String urn, Inputs in, Unknowns unknowns) {
        boolean known = !unknowns.within("interfaceName") && !unknowns.within("address") && !unknowns.within("address6")
                && !unknowns.within("listenPort")
                && !unknowns.within("mtu") && !unknowns.within("peers");
        Map<String, String> plan = new HashMap<>();
        plan.put(CONFIG, known
                ? WgHostScripts.redactedConfigFile(toWgInterface(in, WgHostScripts.STAND_IN_KEY), OwnerMark.forResource(urn)) : null);
        return plan;
    }

    @Override
    public List<CheckFailure> check(Inputs in, Unknowns unknowns) {
        CheckFailures failures = HostObject.checkConnectionAndInterface(in.connection(), in.interfaceName(), unknowns)
                .check("address", in.address(), Validators::tunnelAddress)
                .check("address6", in.address6(), a -> Validators.tunnelAddress6(a)
                        .map(r -> r + " (the interface's IPv6 address with the prefix of the tunnel's IPv6 network, e.g. fd77:42::1/64)"))
                .check("privateKey", in.privateKey(), Validators::wireguardKey)
                .check("listenPort", in.listenPort(), port -> Validators.port(port))
                .check("mtu", in.mtu(), mtu -> Validators.mtu(mtu));
        if (in.peers() != null) {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < in.peers().size(); i++) {
                PeerArgs p = in.peers().get(i);
                String path = "peers[" + i + "]";
                if (p == null) {
                    continue; // unknown until the values it comes from exist (a null item is a type error)
                }
                failures.check(path + ".publicKey", p.publicKey(), Validators::wireguardKey);
                if (p.publicKey() != null && !keys.add(p.publicKey())) {
                    failures.add(path + ".publicKey", "appears twice; each peer needs its own key");
                }
                if (p.allowedIps() != null) {
                    for (int j = 0; j < p.allowedIps().size(); j++) {
                        failures.check(path + ".allowedIps[" + j + "]", p.allowedIps().get(j), Validators::allowedIp);
                    }
                }
                failures.check(path + ".endpoint", p.endpoint(), Validators::endpoint)
                        .check(path + ".persistentKeepalive", p.persistentKeepalive(), k -> Validators.persistentKeepalive(k));
            }
        }
        return failures.list();
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs in) {
        String id = HostObject.id(in.connection(), in.interfaceName(), "");
        if (ctx.preview()) {
            return new Created<>(id, new Outputs(in.privateKey() == null ? null : WgKeys.publicKeyOf(in.privateKey()), null, null));
        }
        // Nothing half-installed: a failed attempt takes down what it may have made (only its own objects).
        return new Created<>(id, CreateOrUndo.run(() -> apply(ctx, in, null, OwnerMark.Unmarked.FOREIGN),
                () -> remove(ctx, in, null, OwnerMark.Unmarked.FOREIGN)));
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        if (ctx.preview()) {
            return new Outputs(news.privateKey() == null ? null : WgKeys.publicKeyOf(news.privateKey()),
                    olds.outputs().implementation(), olds.outputs().observedHostKey());
        }
        return apply(ctx, news, olds.outputs().observedHostKey(), OwnerMark.Unmarked.ADOPT);
    }

    /** What a clash on the host asks the user to do. */
    private static String fix(Inputs in) {
        return "Each tunnel on a host needs its own interfaceName, listenPort and address ranges (IPv4 and IPv6: a PortForward's"
                + " relay.address and relay.address6): choose others for this one,"
                + " or, if nothing uses the old one, remove it on the host (ip link del " + in.interfaceName() + "; rm "
                + WgHostScripts.configPath(in.interfaceName()) + ").";
    }

    private Outputs apply(ResourceContext ctx, Inputs in, String knownHostKey, OwnerMark.Unmarked unmarked) {
        WgInterface wg = toWgInterface(in);
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), knownHostKey, Redactor.of(in.privateKey()))) {
            // A listening interface also looks at the host's input firewall (read-only), in the same
            // script: one round trip instead of two.
            boolean listens = in.listenPort() != null;
            String out = host.step("write " + WgHostScripts.configPath(in.interfaceName()) + " (0600) and bring up WireGuard interface "
                    + in.interfaceName() + " (" + in.address() + (wg.address6() == null ? "" : ", " + wg.address6()) + ", "
                    + wg.peers().size() + " peer(s))"
                    + (listens ? ", look at the host's input firewall" : ""),
                    WgHostScripts.apply(wg, owner, unmarked, fix(in))
                            + (listens ? InputFirewall.probe() + InputOpening.letInProbe(in.listenPort()) : ""));
            String impl = out.lines().filter(l -> l.startsWith("implementation=")).map(l -> l.substring("implementation=".length()))
                    .findFirst().orElse("unknown");
            if (listens && !out.contains("input-port=open")) {
                InputFirewall.parse(out).ifPresent(drop -> ctx.warn("host " + host.label() + " drops incoming packets by default: allow UDP port "
                        + in.listenPort() + " in for WireGuard"
                        + drop.fix(in.listenPort()).map(fix -> " (for example `" + fix + "`)").orElse("")
                        + ", or the tunnel cannot come up"));
            }
            if (impl.equals("wireguard-go")) {
                ctx.info("host " + host.label() + ": no WireGuard kernel module, running " + in.interfaceName() + " in wireguard-go");
            }
            return new Outputs(WgKeys.publicKeyOf(in.privateKey()), impl, host.hostKey());
        }
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Inputs in = state.inputs();
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
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
        if (!seen.mark().isEmpty() && !seen.mark().equals(owner.text())) {
            ctx.warn("interface " + in.interfaceName() + " on the host now belongs to another wgforward resource (" + seen.mark()
                    + "); this one is gone from the host");
            return Optional.empty();
        }
        // Report what is really there, so that a drift shows as a diff and the next up repairs it.
        List<PeerArgs> peers = new ArrayList<>();
        List<PeerArgs> wanted = in.peers() == null ? List.of() : in.peers();
        for (ObservedPeer p : seen.peers()) {
            PeerArgs declared = wanted.stream().filter(w -> p.publicKey().equals(w.publicKey())).findFirst().orElse(null);
            // A learned endpoint (a client behind NAT) is not drift: report the declared one.
            String endpoint = declared == null ? p.endpoint().orElse(null) : declared.endpoint();
            Integer keepalive = p.keepaliveAsDeclared(declared == null ? null : declared.persistentKeepalive());
            // The host prints IPv6 networks in canonical text: the declared ones, written otherwise, are no drift.
            List<String> allowedIps = declared != null && declared.allowedIps() != null
                    && Set.copyOf(canonical(declared.allowedIps())).equals(Set.copyOf(p.allowedIps())) ? declared.allowedIps() : p.allowedIps();
            peers.add(new PeerArgs(p.publicKey(), allowedIps, endpoint, keepalive));
        }
        peers.sort(java.util.Comparator.comparingInt(p -> indexOf(wanted, p.publicKey())));
        // The host prints its (global) IPv6 address canonical: the declared one, written otherwise, is no drift.
        String address6 = seen.address6();
        if (address6 != null && in.address6() != null && Validators.ipv6Cidr(in.address6()).isEmpty()
                && address6.equals(Ipv6Cidr.canonical(in.address6()))) {
            address6 = in.address6();
        }
        Inputs observed = new Inputs(in.connection(), in.interfaceName(),
                seen.addresses().size() == 1 ? seen.addresses().get(0) : String.join(",", seen.addresses()),
                address6,
                keyInPlace(ctx, in, owner, seen) ? in.privateKey() : null,
                in.listenPort() == null ? null : seen.listenPort().orElse(null),
                seen.mtu().orElse(null),
                peers);
        return Optional.of(new State<>(observed, new Outputs(state.outputs().publicKey(), seen.implementation(),
                state.outputs().observedHostKey())));
    }

    /**
     * Whether the host holds this resource's key, live and in its config file. The private key is
     * never read back: the live interface's public key is compared, and the config file by digest
     * (a missing or hand-edited file is drift too: it is what brings the tunnel back at boot).
     */
    private static boolean keyInPlace(ResourceContext ctx, Inputs in, OwnerMark owner, Observed seen) {
        if (in.privateKey() == null) {
            return false;
        }
        String publicKey = WgKeys.publicKeyOf(in.privateKey());
        if (!seen.publicKey().equals(Optional.of(publicKey))) {
            ctx.warn("interface " + in.interfaceName() + " runs with another key than the one in the state; the next `pulumi up` restores it");
            return false;
        }
        String expected;
        try {
            expected = WgHostScripts.configDigest(toWgInterface(in), owner);
        } catch (IllegalArgumentException e) {
            return false; // the stored state is a refresh's partial view: it differs from any file
        }
        if (seen.configDigest().isEmpty()) {
            ctx.warn(WgHostScripts.configPath(in.interfaceName()) + " is missing on the host; the next `pulumi up` writes it again");
            return false;
        }
        if (!seen.configDigest().get().equals(expected)) {
            ctx.warn(WgHostScripts.configPath(in.interfaceName()) + " was changed on the host; the next `pulumi up` writes it again");
            return false;
        }
        return true;
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
        remove(ctx, state.inputs(), state.outputs().observedHostKey(), OwnerMark.Unmarked.ADOPT);
    }

    /** Removes this resource's interface and files; another owner's are left, with a warning. */
    private void remove(ResourceContext ctx, Inputs in, String hostKey, OwnerMark.Unmarked unmarked) {
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "host", in.connection(), hostKey, Redactor.of(in.privateKey()))) {
            String out = host.step("remove WireGuard interface " + in.interfaceName() + " and its config",
                    WgHostScripts.down(in.interfaceName(), owner, unmarked));
            LeftForOtherOwners.warn(ctx, host.label(), out);
        }
    }

    /** Allowed IPs with IPv6 networks in canonical text ({@code FD00:0::2/128} is {@code fd00::2/128}). */
    static List<String> canonical(List<String> allowedIps) {
        return allowedIps.stream().map(a -> a != null && Ipv6Cidr.isIpv6(a) && Validators.allowedIp(a).isEmpty()
                ? Ipv6Cidr.canonical(a) : a).toList();
    }

    static WgInterface toWgInterface(Inputs in) {
        return toWgInterface(in, in.privateKey());
    }

    private static WgInterface toWgInterface(Inputs in, String privateKey) {
        List<WgPeer> peers = new ArrayList<>();
        if (in.peers() != null) {
            for (PeerArgs p : in.peers()) {
                peers.add(new WgPeer(p.publicKey(), p.allowedIps() == null ? List.of() : canonical(p.allowedIps()),
                        Optional.ofNullable(p.endpoint()),
                        WgPeer.keepalive(p.persistentKeepalive())));
            }
        }
        // IPv6 addresses reach the host in canonical text, as ip and wg print them back.
        return new WgInterface(in.interfaceName(), in.address(), in.address6() == null ? null : Ipv6Cidr.canonical(in.address6()),
                in.listenPort() == null ? OptionalInt.empty() : OptionalInt.of(in.listenPort()), privateKey,
                in.mtu() == null ? OptionalInt.empty() : OptionalInt.of(in.mtu()), peers);
    }
}
