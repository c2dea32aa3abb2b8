package dev.wgforward.provider.host;

/** systemd on a host, as wgforward's scripts see it. */
public final class Systemd {
    private Systemd() {}

    /**
     * An sh condition that holds where systemd is the running init and {@code systemctl} is there
     * to talk to it (the test of sd_booted(3)). Elsewhere (containers, other inits) nothing is
     * enabled at boot.
     */
    public static final String RUNS = "[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1";
}
