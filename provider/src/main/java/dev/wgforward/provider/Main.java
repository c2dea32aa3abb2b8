package dev.wgforward.provider;

import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshjConnector;
import java.time.Duration;
import dev.wgforward.provider.resources.WgforwardResources;
import dev.wgforward.provider.rpc.PluginServer;

/**
 * Entry point of the {@code pulumi-resource-wgforward} plugin.
 *
 * <p>The engine runs {@code pulumi-resource-wgforward [--logtostderr] [-v=N] [--tracing ADDR]
 * [ENGINE_ADDRESS]}; the plugin must print the port it listens on as the first line of stdout and
 * nothing else there afterwards.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("wgforward.training")) {
            // The build's training run of the start-up archive, through the real launcher.
            Training.main(args);
            System.exit(0); // the JVM writes the archive as it exits; no thread of the run may hold it up
        }
        Warmup.startCrypto();
        SshConnector ssh = SshjConnector.sharingConnections(SSH_IDLE_TIMEOUT);
        PluginServer server = start(args, ssh);
        // The handshake line: the port alone. Flush explicitly, the engine waits for it.
        System.out.println(server.port());
        System.out.flush();
        server.connectEngine();
        // After the handshake line: the engine's set-up calls (GetPluginInfo, CheckConfig,
        // Configure) and the program's first registrations follow.
        Warmup.startProtocol();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            ssh.close();
        }, "wgforward-shutdown"));
        server.awaitTermination();
    }

    /**
     * How long a host's SSH connection stays open with no resource using it. The engine runs
     * one plugin process per `pulumi up`, and the resources of a host follow each other within
     * seconds; the process closes every connection as it exits anyway.
     */
    static final Duration SSH_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Everything the plugin does before it can print its port (also what {@link Training} trains). */
    static PluginServer start(String[] args, SshConnector ssh) throws Exception {
        PluginArgs parsed = PluginArgs.parse(args);
        ProviderInfo info = ProviderInfo.load();
        return PluginServer.start(info, WgforwardResources.registry(new Schema(info.schemaJson()), ssh),
                parsed.engineAddress());
    }
}
