package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.BootPersistence;
import dev.wgforward.provider.host.IpForwarding;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.Shell;
import dev.wgforward.provider.host.firewall.FirewallBackend;
import dev.wgforward.provider.host.firewall.FirewallScripts;
import dev.wgforward.provider.host.firewall.FirewallState;
import dev.wgforward.provider.host.firewall.Forward;
import dev.wgforward.provider.host.firewall.ForwardDrop;
import dev.wgforward.provider.host.firewall.ForwardPathCheck;
import dev.wgforward.provider.host.firewall.ForwardRuleset;
import dev.wgforward.provider.host.firewall.IptablesNftLeftovers;
import dev.wgforward.provider.host.firewall.Protocol;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code wgforward:index:ForwardRules}: the relay's forwarding of ports on its tunnel address to
 * targets, for packets from the client's tunnel address only — in wgforward's own nftables table
 * or iptables chains (whichever firewall the relay already uses), plus ip_forward. Changing a
 * forward rewrites the rules atomically and never touches the tunnel.
 */
public final class ForwardRules extends HostObject<ForwardRules.Inputs, ForwardRules.Outputs> {
    static final String TOKEN = "wgforward:index:ForwardRules";

    public record ForwardArgs(Integer port, String targetHost, Integer targetPort, String protocol) {}

    /** One client of a hub: its name (for the access points), tunnel addresses and forwards. */
    public record ClientForwardsArgs(String name, String address, String address6, List<ForwardArgs> forwards) {}

    /**
     * Either {@code clientAddress} and {@code forwards} (one client), or {@code clients} (a hub);
     * {@code relayAddress6} (and each client's IPv6 address) when the tunnel has IPv6.
     */
    public record Inputs(ConnectionArgs connection, String interfaceName, String relayAddress, String relayAddress6,
            String clientAddress, String clientAddress6, List<ForwardArgs> forwards, List<ClientForwardsArgs> clients) {
        /** One client's rules on an IPv4-only tunnel. */
        public Inputs(ConnectionArgs connection, String interfaceName, String relayAddress, String clientAddress, List<ForwardArgs> forwards) {
            this(connection, interfaceName, relayAddress, null, clientAddress, null, forwards, null);
        }

        boolean hub() {
            return clients != null;
        }
    }

    public record Outputs(String firewall, Boolean ipForwardWasOff, List<String> accessPoints, String observedHostKey) {}

    private final SshConnector connector;

    public ForwardRules(SshConnector connector) {
        super(TOKEN, Inputs.class, Outputs.class);
        this.connector = connector;
    }

    static final String RULESET = "ruleset";

    @Override
    public Set<String> plannedOutputs() {
        return Set.of(RULESET);
    }

    /**
     * The rules the relay gets, as text (see {@link FirewallScripts#rulesetText}): known in preview
     * as soon as the inputs they come from are.
     */
    @Override
    public Map<String, String> plan(String urn, Inputs in, Unknowns unknowns) {
        boolean known = !unknowns.within("interfaceName") && !unknowns.within("relayAddress") && !unknowns.within("clientAddress")
                && !unknowns.within("relayAddress6") && !unknowns.within("clientAddress6")
                && !unknowns.within("forwards") && !unknowns.within("clients");
        Map<String, String> plan = new HashMap<>();
        plan.put(RULESET, known ? FirewallScripts.rulesetText(ruleset(in), Optional.of(OwnerMark.forResource(urn).text())) : null);
        return plan;
    }

    /**
     * What one client's forwards are checked against: the tunnel's addresses (null while not
     * known), and why an IPv6 forward is impossible ({@code noIpv6}: null when the tunnel has, or
     * may have, IPv6), with the fix.
     */
    record Tunnel(String relayIp, String clientIp, String relayIp6, String clientIp6, String noIpv6) {}

    @Override
    public List<CheckFailure> check(Inputs in, Unknowns unknowns) {
        CheckFailures failures = HostObject.checkConnectionAndInterface(in.connection(), in.interfaceName(), unknowns)
                .check("relayAddress", in.relayAddress(), Validators::tunnelIp)
                .check("clientAddress", in.clientAddress(), Validators::tunnelIp)
                .check("relayAddress6", in.relayAddress6(), Validators::tunnelIp6)
                .check("clientAddress6", in.clientAddress6(), Validators::tunnelIp6);
        boolean noIpv6 = in.relayAddress6() == null && !unknowns.at("relayAddress6");
        String noIpv6Fix = noIpv6 ? "the rules have no relayAddress6 (an IPv4-only tunnel): give relayAddress6 (and the clients' IPv6"
                + " addresses), or forward to the target's IPv4 address" : null;
        boolean single = in.clientAddress() != null || in.forwards() != null
                || unknowns.at("clientAddress") || unknowns.at("forwards");
        boolean hub = in.clients() != null || unknowns.at("clients");
        if (single && hub) {
            return failures.add("clients", "give either clientAddress and forwards (one client) or clients (several), not both;"
                    + " drop clients, or clientAddress and forwards").list();
        }
        if (hub) {
            if (in.clientAddress6() != null) {
                failures.add("clientAddress6", "is for one client; with clients, give each client's address6");
            }
            return failures.addAll(checkClients("clients", in.clients(), in.relayAddress(), in.relayAddress6(), noIpv6Fix)).list();
        }
        if (in.clientAddress() == null && !unknowns.at("clientAddress")) {
            failures.add("clientAddress", "is required (or give clients instead)");
        }
        if (in.forwards() == null && !unknowns.at("forwards")) {
            failures.add("forwards", "is required (or give clients instead)");
        }
        failures.check("clientAddress", in.clientAddress(), ip -> Validators.clientTunnelIpBesides(ip, in.relayAddress(), "relayAddress"));
        failures.addAll(checkAddress6("clientAddress6", in.clientAddress6(), in.relayAddress6(), unknowns.at("clientAddress6")));
        return failures.addAll(checkForwards("forwards", in.forwards(),
                new Tunnel(in.relayAddress(), in.clientAddress(), in.relayAddress6(), in.clientAddress6(), noIpv6Fix))).list();
    }

    /** A client's IPv6 address beside relayAddress6: both or neither, and not the same. */
    private static List<CheckFailure> checkAddress6(String path, String address6, String relayAddress6, boolean unknown) {
        CheckFailures failures = new CheckFailures();
        if (relayAddress6 != null && address6 == null && !unknown) {
            failures.add(path, "is required with relayAddress6: the client's tunnel IPv6 address (only IPv6 packets from it use the"
                    + " IPv6 forwards)");
        } else if (relayAddress6 == null && address6 != null) {
            failures.add(path, "needs relayAddress6 (the relay's tunnel IPv6 address) beside it; give it, or drop " + path);
        } else {
            failures.check(path, address6, ip -> Validators.clientTunnelIpBesides(ip, relayAddress6, "relayAddress6"));
        }
        return failures.list();
    }

    /** A hub's clients: unique names and addresses, each client's forwards as {@link #checkForwards} checks them. */
    static List<CheckFailure> checkClients(String path, List<ClientForwardsArgs> clients, String relayTunnelIp, String relayTunnelIp6,
            String noIpv6Fix) {
        CheckFailures failures = new CheckFailures();
        if (clients == null) {
            return failures.list();
        }
        if (clients.isEmpty()) {
            failures.add(path, "needs at least one client (name, address, forwards)");
        }
        Set<String> names = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        Set<String> addresses6 = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            ClientForwardsArgs c = clients.get(i);
            String p = path + "[" + i + "]";
            if (c == null) {
                continue;
            }
            failures.check(p + ".name", c.name(), Validators::clientName)
                    .check(p + ".address", c.address(), Validators::tunnelIp);
            if (c.name() != null && !names.add(c.name())) {
                failures.add(p + ".name", "client " + c.name() + " appears twice; each client needs its own name");
            }
            if (c.address() != null && !addresses.add(c.address())) {
                failures.add(p + ".address", c.address() + " is given to two clients; each client needs its own tunnel address");
            }
            if (c.address() != null && c.address().equals(relayTunnelIp)) {
                failures.add(p + ".address", c.address() + " is the relay's own tunnel address; pick another one");
            }
            failures.check(p + ".address6", c.address6(), Validators::tunnelIp6);
            if (c.address6() != null && Validators.tunnelIp6(c.address6()).isEmpty() && !addresses6.add(Ipv6Cidr.canonical(c.address6()))) {
                failures.add(p + ".address6", c.address6() + " is given to two clients; each client needs its own tunnel IPv6 address");
            }
            failures.addAll(checkAddress6(p + ".address6", c.address6(), relayTunnelIp6, false));
            if (c.forwards() == null) {
                failures.add(p + ".forwards", "is required: the forwards of client " + c.name());
            }
            failures.addAll(checkForwards(p + ".forwards", c.forwards(),
                    new Tunnel(relayTunnelIp, c.address(), relayTunnelIp6, c.address6(), noIpv6Fix)));
        }
        return failures.list();
    }

    /**
     * Shared with the PortForward component, which checks its forwards before registering
     * anything. {@code relayTunnelIp} and {@code clientTunnelIp} are null while not known.
     */
    static List<CheckFailure> checkForwards(String path, List<ForwardArgs> forwards, Tunnel tunnel) {
        CheckFailures failures = new CheckFailures();
        if (forwards == null) {
            return failures.list();
        }
        if (forwards.isEmpty()) {
            failures.add(path, "needs at least one forward (port, targetHost, targetPort)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < forwards.size(); i++) {
            ForwardArgs f = forwards.get(i);
            String p = path + "[" + i + "]";
            if (f == null) {
                continue; // unknown during preview (a literal null item is reported as a type error)
            }
            String protocol = f.protocol() == null ? "tcp" : f.protocol();
            failures.check(p + ".port", f.port(), port -> Validators.port(port))
                    .check(p + ".targetPort", f.targetPort(), port -> Validators.port(port))
                    .check(p + ".targetHost", f.targetHost(), host -> Validators.forwardTargetHost(host)
                            .or(() -> Ipv6Cidr.isIpv6(host)
                                    ? Validators.forwardTargetIsNotATunnelAddress(host, tunnel.relayIp6(), tunnel.clientIp6())
                                    : Validators.forwardTargetIsNotATunnelAddress(host, tunnel.relayIp(), tunnel.clientIp()))
                            .or(() -> Ipv6Cidr.isIpv6(host) && tunnel.noIpv6() != null
                                    ? Optional.of("is an IPv6 address, but " + tunnel.noIpv6()) : Optional.empty()))
                    .check(p + ".protocol", protocol, Validators::protocol);
            if (f.port() != null && Validators.protocol(protocol).isEmpty() && !seen.add(f.port() + "/" + protocol)) {
                failures.add(p + ".port", "port " + f.port() + "/" + protocol
                        + " is forwarded twice; each port of the relay's tunnel address can go to one target only");
            }
        }
        return failures.list();
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs in) {
        String id = HostObject.id(in.connection(), in.interfaceName(), "/forwards");
        if (ctx.preview()) {
            return new Created<>(id, new Outputs(null, null, accessPoints(in), null));
        }
        AtomicBoolean turnedForwardingOn = new AtomicBoolean();
        // Nothing half-installed: a failed attempt removes what it wrote (only its own objects), ip_forward included.
        return new Created<>(id, CreateOrUndo.run(() -> install(ctx, in, null, null, turnedForwardingOn, OwnerMark.Unmarked.FOREIGN),
                () -> uninstall(ctx, in, null, turnedForwardingOn.get(), null, OwnerMark.Unmarked.FOREIGN)));
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        if (ctx.preview()) {
            return new Outputs(olds.outputs().firewall(), olds.outputs().ipForwardWasOff(), accessPoints(news),
                    olds.outputs().observedHostKey());
        }
        return install(ctx, news, olds.outputs(), olds.outputs().observedHostKey(), new AtomicBoolean(), OwnerMark.Unmarked.ADOPT);
    }

    /** What a clash on the relay asks the user to do. */
    private static String fix(Inputs in) {
        return "Each tunnel on a relay needs its own interfaceName (and listenPort and address range): choose another for this one,"
                + " or, if nothing uses the leftover, remove it on the relay.";
    }

    /**
     * Fails (exit 73, before any change) when the firewall objects, sysctl file or boot unit of this
     * interface exist and are not this resource's. Prepended to every step that writes, so the check
     * and the write happen under the same host lock.
     */
    private static String claims(FirewallBackend backend, Inputs in, OwnerMark owner, OwnerMark.Unmarked unmarked) {
        String sysctl = IpForwarding.sysctlFile(in.interfaceName());
        return owner.guardFunctions(unmarked, fix(in))
                + FirewallScripts.ownerProbe(backend, in.interfaceName())
                + BootPersistence.ownerProbe(in.interfaceName())
                + "wgf_claim \"$fw_what\" \"$fw_exists\" \"$fw_mark\"\n"
                + "wgf_claim " + Shell.quote("file " + sysctl) + " \"$([ -f " + Shell.quote(sysctl) + " ] && echo yes || echo no)\" \"$(wgf_file_mark "
                + Shell.quote(sysctl) + ")\"\n"
                + "wgf_claim \"file $boot_file\" \"$boot_exists\" \"$boot_mark\"\n";
    }

    private Outputs install(ResourceContext ctx, Inputs in, Outputs previous, String knownHostKey,
            AtomicBoolean turnedForwardingOn, OwnerMark.Unmarked unmarked) {
        ForwardRuleset ruleset = ruleset(in);
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "relay", in.connection(), knownHostKey, Redactor.of())) {
            FirewallBackend backend = previous != null && previous.firewall() != null
                    ? FirewallBackend.parse(previous.firewall())
                    : FirewallBackend.parse(host.step("find the firewall the relay uses", FirewallScripts.detectBackend()).strip());
            // One step, one round trip: each part is the script that once was a step of its own,
            // in the same order, all under one hold of the host lock after one ownership check.
            // IPv6 forwarding only for a ruleset with IPv6 forwards (the host layer keeps router advertisements working).
            String enable = IpForwarding.enable(in.interfaceName(), owner, ruleset.hasIpv6Forwards());
            String apply = FirewallScripts.apply(backend, ruleset, Optional.of(owner.text()));
            StringBuilder script = new StringBuilder(claims(backend, in, owner, unmarked))
                    .append(RemoteHost.part("ip_forward", enable));
            if (backend == FirewallBackend.IPTABLES_NFT) {
                // The iptables-nft tables and chains missing before wgforward's rules: destroy deletes them again.
                script.append(RemoteHost.part("iptables-nft-missing", IptablesNftLeftovers.recordMissing(ruleset.hasIpv6())));
            }
            script.append(RemoteHost.readOnlyPart("forward-path", ForwardPathCheck.probe()))
                    .append(RemoteHost.part("rules", apply))
                    .append(RemoteHost.part("boot", BootPersistence.install(in.interfaceName(), owner, enable + apply)))
                    .append(RemoteHost.part("listing", FirewallScripts.list(backend, in.interfaceName())));
            String out = host.step("write " + ruleset.entries().size() + " forward(s) to " + backend.keyword() + " for packets from "
                    + (in.hub() ? ruleset.clients().size() + " client(s)" : in.clientAddress()) + " on " + in.interfaceName() + ", with net.ipv4.ip_forward"
                    + (ruleset.hasIpv6Forwards() ? " and net.ipv6.conf.all.forwarding" : "") + " on (also at boot: "
                    + IpForwarding.sysctlFile(in.interfaceName()) + "), the rules kept at boot where systemd runs ("
                    + BootPersistence.unitName(in.interfaceName()) + "), read back", script.toString());
            String was = RemoteHost.partOutput(out, "ip_forward");
            turnedForwardingOn.set(was.contains("was=0"));
            boolean wasOff = previous != null && previous.ipForwardWasOff() != null ? previous.ipForwardWasOff() : was.contains("was=0");
            // Another table's drop on the forward hook beats our accept: say so, with the fix, rather than report success.
            for (ForwardDrop drop : ForwardPathCheck.find(backend, ruleset, RemoteHost.partOutput(out, "forward-path"))) {
                ctx.warn(drop.warning(host.label(), ruleset));
            }
            if (RemoteHost.partOutput(out, "boot").contains("boot=none")) {
                ctx.info("relay " + host.label() + " runs no systemd: the rules last until its next reboot (`pulumi up` reinstalls them)");
            }
            String listing = RemoteHost.partOutput(out, "listing");
            FirewallState state = FirewallState.parse(backend, in.interfaceName(), listing);
            if (!state.matches(ruleset) || !FirewallScripts.ownerMark(listing).equals(Optional.of(owner.text()))) {
                throw new ProviderException("the rules written to " + backend.keyword() + " on relay " + host.label()
                        + " did not read back as written; another tool may be rewriting the firewall");
            }
            return new Outputs(backend.keyword(), wasOff, accessPoints(in), host.hostKey());
        }
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> stored) {
        Inputs in = stored.inputs();
        FirewallBackend backend = FirewallBackend.parse(stored.outputs().firewall());
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        FirewallState state;
        boolean forwarding;
        boolean forwarding6;
        try (RemoteHost host = RemoteHost.open(ctx, connector, "relay", in.connection(), stored.outputs().observedHostKey(), Redactor.of())) {
            // One round trip: the listing, then ip_forward.
            ExecResult read = host.probe("list wgforward rules and read net.ipv4.ip_forward and net.ipv6.conf.all.forwarding",
                    RemoteHost.part("listing", FirewallScripts.list(backend, in.interfaceName()))
                            + RemoteHost.part("ip_forward", IpForwarding.status()));
            if (!read.ok()) {
                throw new ProviderException("could not list the rules on relay " + host.label() + ": " + read.stderr().strip());
            }
            String listing = RemoteHost.partOutput(read.stdout(), "listing");
            Optional<String> mark = FirewallScripts.ownerMark(listing);
            if (mark.isPresent() && !mark.get().equals(owner.text())) {
                ctx.warn("the rules of " + in.interfaceName() + " on the relay now belong to another wgforward resource (" + mark.get()
                        + "); none of this resource's are in place");
                state = FirewallState.empty();
            } else {
                state = FirewallState.parse(backend, in.interfaceName(), listing);
            }
            forwarding = RemoteHost.partOutput(read.stdout(), "ip_forward").contains("ip_forward=1");
            forwarding6 = RemoteHost.partOutput(read.stdout(), "ip_forward").contains("ipv6_forwarding=1");
        }
        // Report the forwards that really work; a missing rule (or forwarding off) is drift the next up repairs.
        boolean anyPresent = false;
        // The tunnel's IPv6 isolation gone: relayAddress6 reads as absent, a diff the next up repairs.
        String relay6 = in.relayAddress6();
        if (relay6 != null && !state.isolation6Present()) {
            ctx.warn("the rule dropping the tunnel's other IPv6 traffic is gone from the relay; the next `pulumi up` reinstalls it");
            relay6 = null;
        }
        Inputs observed;
        if (in.hub()) {
            List<ClientForwardsArgs> clients = new ArrayList<>();
            for (ClientForwardsArgs c : in.clients()) {
                List<ForwardArgs> present = presentForwards(ctx, state, forwarding, forwarding6, c.address(), c.forwards(), true);
                anyPresent |= !present.isEmpty();
                clients.add(new ClientForwardsArgs(c.name(), c.address(), c.address6(), present));
            }
            observed = new Inputs(in.connection(), in.interfaceName(), in.relayAddress(), relay6, null, null, null, clients);
        } else {
            List<ForwardArgs> present = presentForwards(ctx, state, forwarding, forwarding6, in.clientAddress(), in.forwards(), false);
            anyPresent = !present.isEmpty();
            observed = new Inputs(in.connection(), in.interfaceName(), in.relayAddress(), relay6, in.clientAddress(),
                    in.clientAddress6(), present, null);
        }
        if (!anyPresent && !state.isolationPresent()) {
            ctx.warn("the forwarding rules are gone from the relay; the next `pulumi up` reinstalls them");
        }
        return Optional.of(new State<>(observed, stored.outputs()));
    }

    /** The forwards that really work; a missing rule (or forwarding off) is drift the next up repairs. */
    private static List<ForwardArgs> presentForwards(ResourceContext ctx, FirewallState state, boolean forwarding4, boolean forwarding6,
            String client, List<ForwardArgs> forwards, boolean hub) {
        List<ForwardArgs> present = new ArrayList<>();
        for (ForwardArgs f : forwards) {
            ForwardRuleset.Entry entry = new ForwardRuleset.Entry(client, toForward(f), hub);
            // A forward needs forwarding on in its own family.
            boolean forwarding = entry.forward().isIpv6() ? forwarding6 : forwarding4;
            if (forwarding && state.isPresent(entry.key())
                    && state.dnatTarget(entry.key()).map(t -> isTarget(t, f)).orElse(true)) {
                present.add(f);
            } else {
                ctx.warn("forward " + entry + " is not in place on the relay" + (forwarding ? ""
                        : entry.forward().isIpv6() ? " (net.ipv6.conf.all.forwarding is off)" : " (ip_forward is off)"));
            }
        }
        return present;
    }

    @Override
    public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        Outputs out = state.outputs();
        uninstall(ctx, state.inputs(), out.firewall() == null ? null : FirewallBackend.parse(out.firewall()),
                Boolean.TRUE.equals(out.ipForwardWasOff()), out.observedHostKey(), OwnerMark.Unmarked.ADOPT);
    }

    /** Removes this resource's rules, boot unit and forwarding; another owner's objects are left, with a warning. */
    private void uninstall(ResourceContext ctx, Inputs in, FirewallBackend known, boolean ipForwardWasOff, String hostKey,
            OwnerMark.Unmarked unmarked) {
        OwnerMark owner = OwnerMark.forResource(ctx.urn());
        try (RemoteHost host = RemoteHost.open(ctx, connector, "relay", in.connection(), hostKey, Redactor.of())) {
            FirewallBackend backend = known != null ? known
                    : FirewallBackend.parse(host.step("find the firewall the relay uses", FirewallScripts.detectBackend()).strip());
            // One step, one round trip, under one hold of the host lock: the boot unit, the rules if
            // they are this resource's (another owner's are left alone, with a warning), ip_forward.
            String script = RemoteHost.part("boot", BootPersistence.remove(in.interfaceName(), owner, unmarked))
                    + owner.guardFunctions(unmarked, "")
                    + FirewallScripts.ownerProbe(backend, in.interfaceName())
                    + "if wgf_mine \"$fw_what\" \"$fw_exists\" \"$fw_mark\"; then\n"
                    + RemoteHost.part("rules", FirewallScripts.remove(backend, in.interfaceName()))
                    + "fi\n"
                    + RemoteHost.part("ip_forward", IpForwarding.disable(in.interfaceName(), owner, unmarked, ipForwardWasOff));
            LeftForOtherOwners.warn(ctx, host.label(), host.step("remove the boot unit " + BootPersistence.unitName(in.interfaceName())
                    + ", wgforward's " + backend.keyword() + " rules for " + in.interfaceName() + " and "
                    + IpForwarding.sysctlFile(in.interfaceName())
                    + ", and turn ip_forward back to what it was before wgforward once no tunnel uses it", script));
        }
    }

    /** Whether a DNAT target read back from the relay ({@code addr:port} or {@code [addr]:port}) is the forward's. */
    private static boolean isTarget(String dnatTarget, ForwardArgs f) {
        String host = canonicalHost(f.targetHost());
        return dnatTarget.equals(host + ":" + f.targetPort()) || dnatTarget.equals("[" + host + "]:" + f.targetPort());
    }

    /**
     * The rules as the host layer writes them. Every IPv6 address is handed over in canonical text
     * (RFC 5952, as nft and ip print it), whatever form the user wrote it in.
     */
    static ForwardRuleset ruleset(Inputs in) {
        String relay6 = canonicalHost(in.relayAddress6());
        if (in.hub()) {
            return new ForwardRuleset(in.interfaceName(), in.relayAddress(), relay6, in.clients().stream()
                    .map(c -> new ForwardRuleset.ClientForwards(c.address(), relay6 == null ? null : canonicalHost(c.address6()),
                            c.forwards().stream().map(ForwardRules::toForward).toList()))
                    .toList(), true);
        }
        return new ForwardRuleset(in.interfaceName(), in.relayAddress(), relay6, List.of(new ForwardRuleset.ClientForwards(
                in.clientAddress(), relay6 == null ? null : canonicalHost(in.clientAddress6()),
                in.forwards().stream().map(ForwardRules::toForward).toList())), false);
    }

    static Forward toForward(ForwardArgs f) {
        return new Forward(f.port(), Protocol.parse(f.protocol() == null ? "tcp" : f.protocol()), canonicalHost(f.targetHost()),
                f.targetPort());
    }

    /** An IPv6 address in canonical text; an IPv4 address (or null) as it is. */
    static String canonicalHost(String address) {
        return address != null && Ipv6Cidr.isIpv6(address) ? Ipv6Cidr.canonical(address) : address;
    }

    /** Null (unknown) while any part is not known yet, during preview. */
    static List<String> accessPoints(Inputs in) {
        if (in.hub()) {
            List<String> points = new ArrayList<>();
            for (ClientForwardsArgs c : in.clients()) {
                List<String> own = c == null || c.name() == null ? null : accessPoints(in.relayAddress(), in.relayAddress6(), c.forwards());
                if (own == null) {
                    return null;
                }
                own.forEach(p -> points.add(c.name() + ": " + p));
            }
            return points;
        }
        return accessPoints(in.relayAddress(), in.relayAddress6(), in.forwards());
    }

    /**
     * {@code 10.77.42.1:8888 -> 10.200.0.2:22} for each forward, {@code [fd77:42::1]:8888 ->
     * [2001:db8:200::2]:22} for one to an IPv6 target (it listens on the relay's tunnel IPv6
     * address); null (unknown) while any part is not known yet.
     */
    private static List<String> accessPoints(String relayAddress, String relayAddress6, List<ForwardArgs> forwards) {
        if (forwards == null || relayAddress == null || forwards.stream().anyMatch(
                f -> f == null || f.port() == null || f.targetHost() == null || f.targetPort() == null
                        || (Ipv6Cidr.isIpv6(f.targetHost()) && relayAddress6 == null))) {
            return null;
        }
        return forwards.stream().map(f -> (Ipv6Cidr.isIpv6(f.targetHost())
                        ? "[" + canonicalHost(relayAddress6) + "]:" + f.port() + " -> [" + canonicalHost(f.targetHost()) + "]:" + f.targetPort()
                        : relayAddress + ":" + f.port() + " -> " + f.targetHost() + ":" + f.targetPort())
                + ("udp".equals(f.protocol()) ? " (udp)" : "")).toList();
    }
}
