package dev.wgforward.provider.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The network threads of every gRPC server and channel in the plugin, owned here so that they can
 * be stopped at exit. The JVM's exit waits up to 300 ms for threads that sit in native code, as a
 * network thread does in its selector; grpc's own shared threads are released only a second after
 * the last channel closes, so with them every exit would cost that wait. With these stopped first,
 * the plugin exits within milliseconds of the engine's SIGINT.
 */
final class GrpcTransport {
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    // The engine talks to one plugin over one connection: two threads carry its bytes; the calls
    // themselves run on grpc's executor.
    private final EventLoopGroup network = new NioEventLoopGroup(2, new DefaultThreadFactory("wgforward-grpc-io", true));

    NettyServerBuilder server(InetSocketAddress address) {
        return NettyServerBuilder.forAddress(address)
                .bossEventLoopGroup(network)
                .workerEventLoopGroup(network)
                .channelType(NioServerSocketChannel.class)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    }

    /** A plaintext channel to an engine service (its log, a program's resource monitor). */
    ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target)
                .eventLoopGroup(network)
                .channelType(NioSocketChannel.class)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    /** Stops the network threads: call once every server and channel using them is shut down. */
    void close() {
        try {
            network.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
