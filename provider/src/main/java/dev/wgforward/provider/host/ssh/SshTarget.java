package dev.wgforward.provider.host.ssh;

import dev.wgforward.provider.check.Validators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach one Linux host over SSH, possibly through a chain of jump hosts.
 *
 * <p>{@code privateKey}, {@code privateKeyPassword} and {@code password} are secrets: {@link
 * #toString()} only says whether they are set, and {@link #secrets()} lists them (for the whole
 * proxy chain) so that a {@link Redactor} can hide them.
 *
 * <p>{@code hostKey} pins the host's public key in authorized_keys format ({@code ssh-ed25519
 * AAAA... [comment]}); several keys may be given on separate lines (during a key rotation).
 *
 * <p>{@code dialErrorLimit} counts dial attempts ({@code -1}: unlimited); a failed attempt is
 * followed by {@code dialRetryDelay}, and each attempt (TCP connect, key exchange and
 * authentication) may take at most {@code perDialTimeout}.
 */
public record SshTarget(
        String host,
        int port,
        String user,
        Optional<String> privateKey,
        Optional<String> privateKeyPassword,
        Optional<String> password,
        Optional<String> agentSocketPath,
        Optional<String> hostKey,
        Optional<SshTarget> proxy,
        int dialErrorLimit,
        Duration dialRetryDelay,
        Duration perDialTimeout) {

    public static final int DEFAULT_PORT = 22;
    public static final String DEFAULT_USER = "root";
    public static final int DEFAULT_DIAL_ERROR_LIMIT = 10;
    public static final int UNLIMITED_DIALS = -1;
    public static final Duration DEFAULT_DIAL_RETRY_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PER_DIAL_TIMEOUT = Duration.ofSeconds(15);

    public SshTarget {
        // The rules Check applies to the connection inputs (host, user and the agent path end up
        // in labels and messages too, so none may hold a line break).
        require("host", Validators.hostname(host));
        require("user", Validators.userName(user));
        require("port", Validators.port(port));
        // Engines often pass "" for an unset input: treated as absent, so that an empty password
        // is never offered to a host and an empty key never parsed.
        privateKey = nonEmpty(privateKey);
        privateKeyPassword = nonEmpty(privateKeyPassword);
        password = nonEmpty(password);
        agentSocketPath = nonEmpty(agentSocketPath);
        hostKey = nonEmpty(hostKey);
        proxy = Objects.requireNonNullElse(proxy, Optional.empty());
        agentSocketPath.ifPresent(path -> require("agentSocketPath", Validators.singleLine(path)));
        hostKey.ifPresent(keys -> HostKeys.parseLines(keys, "hostKey of " + user + "@" + host));
        require("dialErrorLimit", Validators.dialErrorLimit(dialErrorLimit));
        require("dialRetryDelay", Validators.dialRetryDelay(Objects.requireNonNull(dialRetryDelay, "dialRetryDelay")));
        require("perDialTimeout", Validators.perDialTimeout(Objects.requireNonNull(perDialTimeout, "perDialTimeout")));
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    public Builder toBuilder() {
        Builder b = new Builder(host);
        b.port = port;
        b.user = user;
        b.privateKey = privateKey.orElse(null);
        b.privateKeyPassword = privateKeyPassword.orElse(null);
        b.password = password.orElse(null);
        b.agentSocketPath = agentSocketPath.orElse(null);
        b.hostKey = hostKey.orElse(null);
        b.proxy = proxy.orElse(null);
        b.dialErrorLimit = dialErrorLimit;
        b.dialRetryDelay = dialRetryDelay;
        b.perDialTimeout = perDialTimeout;
        return b;
    }

    /** {@code user@host:port} of this hop alone, without its proxies. */
    public String endpoint() {
        // IPv6 literals need brackets, or the port would read as part of the address.
        String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user + "@" + hostPart + ":" + port;
    }

    /** {@code user@host:port}, followed by {@code via <proxy label>} for each jump host. */
    public String label() {
        return proxy.map(p -> endpoint() + " via " + p.label()).orElse(endpoint());
    }

    /** True when commands run as root without sudo. */
    public boolean isRoot() {
        return DEFAULT_USER.equals(user);
    }

    /** Every secret of this target and its proxy chain, for a {@link Redactor}. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        privateKey.ifPresent(secrets::add);
        privateKeyPassword.ifPresent(secrets::add);
        password.ifPresent(secrets::add);
        proxy.ifPresent(p -> secrets.addAll(p.secrets()));
        return secrets;
    }

    /** Never prints secrets: only whether each one is set. */
    @Override
    public String toString() {
        return "SshTarget[" + endpoint()
                + ", privateKey=" + setOrUnset(privateKey)
                + ", privateKeyPassword=" + setOrUnset(privateKeyPassword)
                + ", password=" + setOrUnset(password)
                + ", agentSocketPath=" + agentSocketPath.orElse("<unset>")
                + ", hostKey=" + hostKey.map(HostKeys::describeLines).orElse("<unset>")
                + ", dialErrorLimit=" + dialErrorLimit
                + ", dialRetryDelay=" + dialRetryDelay
                + ", perDialTimeout=" + perDialTimeout
                + proxy.map(p -> ", proxy=" + p).orElse("")
                + "]";
    }

    private static Optional<String> nonEmpty(Optional<String> value) {
        return Objects.requireNonNullElse(value, Optional.<String>empty()).filter(v -> !v.isEmpty());
    }

    private static String setOrUnset(Optional<String> secret) {
        return secret.isPresent() ? "<set>" : "<unset>";
    }

    private static void require(String name, Optional<String> problem) {
        problem.ifPresent(reason -> {
            throw new IllegalArgumentException(name + " " + reason);
        });
    }

    /** Mutable builder with the documented defaults; {@code null} means "not set". */
    public static final class Builder {
        private final String host;
        private int port = DEFAULT_PORT;
        private String user = DEFAULT_USER;
        private String privateKey;
        private String privateKeyPassword;
        private String password;
        private String agentSocketPath;
        private String hostKey;
        private SshTarget proxy;
        private int dialErrorLimit = DEFAULT_DIAL_ERROR_LIMIT;
        private Duration dialRetryDelay = DEFAULT_DIAL_RETRY_DELAY;
        private Duration perDialTimeout = DEFAULT_PER_DIAL_TIMEOUT;

        private Builder(String host) {
            this.host = host;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder privateKey(String privateKey) {
            this.privateKey = privateKey;
            return this;
        }

        public Builder privateKeyPassword(String privateKeyPassword) {
            this.privateKeyPassword = privateKeyPassword;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder agentSocketPath(String agentSocketPath) {
            this.agentSocketPath = agentSocketPath;
            return this;
        }

        public Builder hostKey(String hostKey) {
            this.hostKey = hostKey;
            return this;
        }

        public Builder proxy(SshTarget proxy) {
            this.proxy = proxy;
            return this;
        }

        public Builder dialErrorLimit(int dialErrorLimit) {
            this.dialErrorLimit = dialErrorLimit;
            return this;
        }

        public Builder dialRetryDelay(Duration dialRetryDelay) {
            this.dialRetryDelay = dialRetryDelay;
            return this;
        }

        public Builder perDialTimeout(Duration perDialTimeout) {
            this.perDialTimeout = perDialTimeout;
            return this;
        }

        public SshTarget build() {
            return new SshTarget(host, port, user,
                    Optional.ofNullable(privateKey), Optional.ofNullable(privateKeyPassword),
                    Optional.ofNullable(password), Optional.ofNullable(agentSocketPath),
                    Optional.ofNullable(hostKey), Optional.ofNullable(proxy),
                    dialErrorLimit, dialRetryDelay, perDialTimeout);
        }
    }
}
