package dev.wgforward.provider;

import dev.wgforward.provider.framework.ProviderInfo;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.SshjConnector;
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
        PluginArgs parsed = PluginArgs.parse(args);
        ProviderInfo info = ProviderInfo.load();
        PluginServer server = PluginServer.start(info, WgforwardResources.registry(new Schema(info.schemaJson()), new SshjConnector()),
                parsed.engineAddress());
        // The handshake line: the port alone. Flush explicitly, the engine waits for it.
        System.out.println(server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "wgforward-shutdown"));
        server.awaitTermination();
    }
}
