package dev.resilience.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real services some tests talk to (Redis, PostgreSQL), always on 127.0.0.1. A test calls
 * {@link #redis()} or {@link #postgres()} first: when the service answers, the test goes on; when it does
 * not, the test fails under CI ({@code CI=true}, set by {@code .ci/run}) and is skipped elsewhere, with a
 * message saying what to start.
 */
public final class RealServices {

    public static final String HOST = "127.0.0.1";
    public static final int REDIS_PORT = Integer.getInteger("resilience.test.redis.port", 6379);
    public static final int POSTGRES_PORT = Integer.getInteger("resilience.test.postgres.port", 5432);

    private RealServices() {
    }

    /** Requires Redis on 127.0.0.1 ({@value #HOST}:6379 unless {@code -Dresilience.test.redis.port}). */
    public static void redis() {
        require("Redis", REDIS_PORT,
                "start it with: redis-server --daemonize yes --bind 127.0.0.1 --port " + REDIS_PORT
                        + " --save '' --appendonly no (Debian package redis-server)");
    }

    /** Requires PostgreSQL on 127.0.0.1:5432 with trust authentication and a database {@code test}. */
    public static void postgres() {
        require("PostgreSQL", POSTGRES_PORT,
                "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
                        + " (Debian package postgresql; trust auth for 127.0.0.1, database 'test')");
    }

    /** Requires Debian's headless Chromium and its chromedriver ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}). */
    public static void chromium() {
        if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(CHROMIUM))
                && java.nio.file.Files.isExecutable(java.nio.file.Path.of(CHROMEDRIVER))) {
            return;
        }
        String message = "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                + "); install it with: apt-get install chromium chromium-driver";
        if (underCi()) {
            Assertions.fail(message + " (CI=true: a test that needs a service fails when it is absent)");
        }
        Assumptions.abort(message);
    }

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** The JDBC URL of the PostgreSQL database the tests use. */
    public static String postgresUrl() {
        return "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/test";
    }

    /** True when {@code CI=true}: a missing service then fails a test instead of skipping it. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void require(String service, int port, String howToStart) {
        if (reachable(port)) {
            return;
        }
        String message = service + " is not reachable on " + HOST + ":" + port + "; " + howToStart;
        if (underCi()) {
            Assertions.fail(message + " (CI=true: a test that needs a service fails when it is absent)");
        }
        Assumptions.abort(message);
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
