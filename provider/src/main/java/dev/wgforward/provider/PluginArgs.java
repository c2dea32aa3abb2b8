package dev.wgforward.provider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line the engine gives a resource plugin. Flags meant for Go plugins
 * ({@code --logtostderr}, {@code -v=N}, {@code --tracing ADDR}, {@code --logflow}) are accepted and
 * ignored; the engine address is the last positional argument and is optional, because test
 * harnesses start providers without one and pass it later through Handshake or Attach.
 */
public record PluginArgs(Optional<String> engineAddress) {

    public static PluginArgs parse(String[] args) {
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--tracing")) {
                i++; // skip its value
            } else if (arg.startsWith("--tracing=") || arg.equals("--logtostderr") || arg.equals("--logflow")
                    || arg.startsWith("-v=") || arg.startsWith("--v=")) {
                // Go-style logging flags: nothing to do for a JVM plugin.
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown flag " + arg
                        + "; usage: pulumi-resource-wgforward [--logtostderr] [-v=N] [--tracing ADDR] [ENGINE_ADDRESS]");
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() > 1) {
            throw new IllegalArgumentException("expected at most one engine address, got " + positional);
        }
        return new PluginArgs(positional.stream().findFirst());
    }
}
