package dev.resilience.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own on a free port, that the test may stop and start again (never the
 * machine's shared Redis). Without persistence: a restarted server is empty.
 */
final class PrivateRedis implements AutoCloseable {

    final int port;
    private Process process;

    PrivateRedis() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
    }

    /** Starts the server and waits (bounded) until it accepts connections. */
    PrivateRedis start() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("Ready to accept connections")) {
                        return;
                    }
                }
                throw new IllegalStateException("redis-server on port " + port + " ended before it was ready");
            } catch (IOException failed) {
                throw new IllegalStateException(failed);
            }
        });
        ready.get(10, TimeUnit.SECONDS);
        return this;
    }

    /** Stops the server and waits (bounded) until it has ended. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
