package dev.wgforward.provider.rpc;

import dev.wgforward.provider.framework.EngineLog;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import pulumirpc.EngineGrpc;
import pulumirpc.EngineOuterClass.LogRequest;
import pulumirpc.EngineOuterClass.LogSeverity;

/**
 * The plugin's channel back to the engine, for logging. The address arrives on the command line,
 * in Handshake or in Attach (whichever comes first wins; a later, different one replaces it).
 */
final class EngineConnection implements EngineLog {
    private final Function<String, ManagedChannel> dial;
    private volatile String address;
    private volatile ManagedChannel channel;

    EngineConnection(Function<String, ManagedChannel> dial) {
        this.dial = dial;
    }

    synchronized void connect(String engineAddress) {
        if (engineAddress == null || engineAddress.isBlank() || engineAddress.equals(address)) {
            return;
        }
        close();
        address = engineAddress;
        channel = dial.apply(engineAddress);
    }

    @Override
    public void log(Severity severity, String urn, String message) {
        ManagedChannel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            EngineGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).log(LogRequest.newBuilder()
                    .setSeverity(toProto(severity))
                    .setUrn(urn == null ? "" : urn)
                    .setMessage(message)
                    .build());
        } catch (RuntimeException e) {
            // Logging must never fail an operation; the engine may be shutting down. stderr
            // reaches the engine's own debug log (pulumi -v=9 --logtostderr).
            System.err.println("wgforward: engine log failed: " + e);
        }
    }

    private static LogSeverity toProto(Severity severity) {
        return switch (severity) {
            case DEBUG -> LogSeverity.DEBUG;
            case INFO -> LogSeverity.INFO;
            case WARNING -> LogSeverity.WARNING;
            case ERROR -> LogSeverity.ERROR;
        };
    }

    synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }
}
