package dev.wgforward.provider.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgforward.provider.host.firewall.Forward;
import dev.wgforward.provider.host.firewall.ForwardRuleset;
import dev.wgforward.provider.host.firewall.Protocol;
import dev.wgforward.provider.host.ssh.SshTarget;
import dev.wgforward.provider.host.wireguard.TunnelProbe;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.host.wireguard.WgPeer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * One rule, one place: what Check (through {@link Validators}) refuses, the host model refuses
 * too, and what Check lets through the model accepts. A value that passed preview must never fail
 * `up` on a rule of its own.
 */
class OneRuleTest {
    private static final String PRIVATE_KEY = WgKeys.generate().privateKey();
    private static final String PUBLIC_KEY = WgKeys.generate().publicKey();

    private static <T> void sameVerdict(String rule, List<T> values, Function<T, Optional<String>> check, Function<T, Object> model) {
        for (T value : values) {
            boolean checkRefuses = check.apply(value).isPresent();
            boolean modelRefuses;
            try {
                model.apply(value);
                modelRefuses = false;
            } catch (IllegalArgumentException e) {
                modelRefuses = true;
            }
            assertEquals(checkRefuses, modelRefuses, rule + " " + value + ": Check " + (checkRefuses ? "refuses" : "accepts")
                    + " it, the host model " + (modelRefuses ? "refuses" : "accepts") + " it");
        }
    }

    @Test
    void mtu() {
        sameVerdict("mtu", List.of(100, 576, 1279, 1280, 1420, 9000, 9001, 65535),
                mtu -> Validators.mtu(mtu), mtu -> new WgInterface("wgf0", "10.77.42.1/24", OptionalInt.empty(), PRIVATE_KEY,
                        OptionalInt.of(mtu), List.of()));
    }

    @Test
    void interfaceAddress() {
        sameVerdict("address", List.of("10.77.42.1/24", "192.168.2.1/0", "10.0.0.1/7", "10.0.0.1/8", "10.77.42.1/32",
                "127.0.0.1/24", "10.77.42.0/24", "10.77.42.1"), Validators::tunnelAddress,
                address -> new WgInterface("wgf0", address, OptionalInt.empty(), PRIVATE_KEY, OptionalInt.empty(), List.of()));
    }

    @Test
    void listenPortAndInterfaceName() {
        sameVerdict("listenPort", List.of(0, 1, 51820, 65535, 65536),
                port -> Validators.port(port), port -> new WgInterface("wgf0", "10.77.42.1/24", OptionalInt.of(port), PRIVATE_KEY,
                        OptionalInt.empty(), List.of()));
        sameVerdict("interfaceName", List.of("wgf0", "wg+", "-wg", "wgforward-relay0", "wg/0"),
                Validators::interfaceName, name -> new WgInterface(name, "10.77.42.1/24", OptionalInt.empty(), PRIVATE_KEY,
                        OptionalInt.empty(), List.of()));
    }

    @Test
    void keys() {
        sameVerdict("privateKey", List.of(PRIVATE_KEY, "not-a-key", PRIVATE_KEY.substring(1)), Validators::wireguardKey,
                key -> new WgInterface("wgf0", "10.77.42.1/24", OptionalInt.empty(), key, OptionalInt.empty(), List.of()));
        sameVerdict("publicKey", List.of(PUBLIC_KEY, "x"), Validators::wireguardKey, key -> WgPeer.of(key, List.of()));
    }

    @Test
    void peer() {
        sameVerdict("allowedIps[]", List.of("10.77.42.2/32", "0.0.0.0/0", "10.0.0.0/7", "fd00::2/128", "::/0", "10.0.0.1"),
                Validators::allowedIp, ip -> WgPeer.of(PUBLIC_KEY, List.of(ip)));
        sameVerdict("persistentKeepalive", List.of(-1, 0, 25, 65535, 65536), k -> Validators.persistentKeepalive(k),
                k -> new WgPeer(PUBLIC_KEY, List.of(), Optional.empty(), OptionalInt.of(k)));
        sameVerdict("endpoint", List.of("relay.example.com:51820", "relay.example.com", "[2001:db8::1]:51820", "relay:0"),
                Validators::endpoint, e -> new WgPeer(PUBLIC_KEY, List.of(), Optional.of(e), OptionalInt.empty()));
    }

    @Test
    void forward() {
        sameVerdict("targetHost", List.of("10.200.0.2", "127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255", "240.0.0.1",
                "10.200.0.2; reboot"), Validators::forwardTargetHost, host -> new Forward(8888, Protocol.TCP, host, 22));
        sameVerdict("port", List.of(0, 1, 65535, 65536), port -> Validators.port(port),
                port -> new Forward(port, Protocol.TCP, "10.200.0.2", 22));
        sameVerdict("targetHost vs tunnel", List.of("10.77.42.1", "10.77.42.2", "10.200.0.2"),
                host -> Validators.forwardTargetIsNotATunnelAddress(host, "10.77.42.1", "10.77.42.2"),
                host -> new ForwardRuleset("wgf0", "10.77.42.1", "10.77.42.2", List.of(new Forward(8888, Protocol.TCP, host, 22))));
        sameVerdict("clientAddress vs relayAddress", List.of("10.77.42.1", "10.77.42.2"),
                ip -> Validators.clientTunnelIpBesides(ip, "10.77.42.1", "relayAddress"),
                ip -> new ForwardRuleset("wgf0", "10.77.42.1", ip, List.of()));
        sameVerdict("relayAddress", List.of("10.77.42.1", "127.0.0.1", "224.0.0.1", "10.77.42.1/24"), Validators::tunnelIp,
                ip -> new ForwardRuleset("wgf0", ip, "10.77.42.2", List.of()));
    }

    @Test
    void connection() {
        sameVerdict("host", List.of("relay.example.com", "203.0.113.10", "fd00::1", "", " ", "relay\nexample", "-relay", "[fd00::1]"),
                Validators::hostname, host -> SshTarget.builder(host).build());
        sameVerdict("user", List.of("root", "deploy", "wg-admin", "Root", "a b", "a\nb", ""), Validators::userName,
                user -> SshTarget.builder("relay").user(user).build());
        sameVerdict("port", List.of(0, 1, 22, 65535, 65536), port -> Validators.port(port),
                port -> SshTarget.builder("relay").port(port).build());
        sameVerdict("dialErrorLimit", List.of(-2, -1, 0, 1, 10), limit -> Validators.dialErrorLimit(limit),
                limit -> SshTarget.builder("relay").dialErrorLimit(limit).build());
        sameVerdict("dialRetryDelay", List.of(-1, 0, 5, 3600, 3601), seconds -> Validators.dialRetryDelaySeconds(seconds),
                seconds -> SshTarget.builder("relay").dialRetryDelay(Duration.ofSeconds(seconds)).build());
        sameVerdict("perDialTimeout", List.of(-1, 0, 1, 3600, 3601), seconds -> Validators.perDialTimeoutSeconds(seconds),
                seconds -> SshTarget.builder("relay").perDialTimeout(Duration.ofSeconds(seconds)).build());
        sameVerdict("agentSocketPath", List.of("/run/agent.sock", "/run/a\nb"), Validators::singleLine,
                path -> SshTarget.builder("relay").agentSocketPath(path).build());
    }

    @Test
    void tunnelStatus() {
        sameVerdict("connectTimeoutSeconds", List.of(0, 1, 3, 60, 61), seconds -> Validators.connectTimeoutSeconds(seconds),
                seconds -> TunnelProbe.reachScript(List.of(new TunnelProbe.Target("10.200.0.2", 22)), seconds));
        sameVerdict("interfaceName", List.of("wgf0", "wg+", "wg 0"), Validators::interfaceName, TunnelProbe::interfaceScript);
    }
}
