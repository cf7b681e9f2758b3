package dev.resilience.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.circuitbreaker.CircuitBreakerState;
import dev.resilience.circuitbreaker.Criticality;
import dev.resilience.core.FakeTime;
import dev.resilience.degradation.DegradationLevel;
import dev.resilience.degradation.DegradationMonitor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Probes against a real HTTP server and a real socket on 127.0.0.1; their timing (initial delay, interval,
 * timeout) is driven by fake time, and a check's own work runs on a real worker thread.
 */
class ProbeTest {

    private final FakeTime time = new FakeTime();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final List<ProbeStatusChange> changes = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        workers.shutdownNow();
    }

    private Probe probe(ProbeConfig config, ProbeCheck check) {
        Probe probe = new Probe("inventory", config, check, time.timing(), workers);
        probe.addListener(changes::add);
        return probe;
    }

    private Probe httpProbe(ProbeConfig config) {
        return probe(config, ProbeChecks.http(url, config.timeout()));
    }

    private static ProbeSnapshot run(Probe probe) throws Exception {
        return probe.runNow().get(10, TimeUnit.SECONDS);
    }

    /** Waits, bounded, for a condition that another thread makes true. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void consecutiveResultsDecideTheStatus() throws Exception {
        Probe probe = httpProbe(ProbeConfig.defaults().withThresholds(3, 2));
        assertThat(probe.getStatus()).isEqualTo(ProbeStatus.UNKNOWN);

        assertThat(run(probe).status()).as("one success of two").isEqualTo(ProbeStatus.UNKNOWN);
        assertThat(run(probe).status()).isEqualTo(ProbeStatus.UP);
        status.set(503);
        run(probe);
        assertThat(run(probe).status()).as("two failures of three").isEqualTo(ProbeStatus.UP);
        ProbeSnapshot down = run(probe);
        assertThat(down.status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(down.consecutiveFailures()).isEqualTo(3);
        assertThat(down.error()).isEqualTo("GET " + url + " answered 503");
        status.set(302);
        run(probe);
        ProbeSnapshot up = run(probe);

        assertThat(up.status()).as("a 3xx is an answer").isEqualTo(ProbeStatus.UP);
        assertThat(up.error()).isNull();
        assertThat(up.lastSuccess()).isEqualTo(time.timing().clock().instant());
        assertThat(up.successfulChecks()).isEqualTo(4);
        assertThat(up.failedChecks()).isEqualTo(3);
        assertThat(changes).extracting(ProbeStatusChange::from, ProbeStatusChange::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ProbeStatus.UNKNOWN, ProbeStatus.UP),
                org.assertj.core.groups.Tuple.tuple(ProbeStatus.UP, ProbeStatus.DOWN),
                org.assertj.core.groups.Tuple.tuple(ProbeStatus.DOWN, ProbeStatus.UP));
        assertThat(changes.get(1).error()).isEqualTo("GET " + url + " answered 503");
    }

    @Test
    void checksRunInTheBackgroundAfterTheInitialDelayThenEveryInterval() {
        Probe probe = httpProbe(ProbeConfig.defaults().withInitialDelay(Duration.ofSeconds(5))
                .withInterval(Duration.ofSeconds(10)));
        probe.start();

        time.advance(Duration.ofSeconds(4));
        assertThat(requests).as("not before the initial delay").hasValue(0);
        time.advance(Duration.ofSeconds(1));
        await("the first check", () -> probe.snapshot().successfulChecks() == 1 && time.pendingTasks() == 1);
        time.advance(Duration.ofSeconds(9));
        assertThat(requests).hasValue(1);
        time.advance(Duration.ofSeconds(1));
        await("the second check", () -> probe.snapshot().successfulChecks() == 2);

        probe.stop();
        // The check's worker cancels its deadline just after the check is decided, so wait for that; a next check
        // wrongly left scheduled would keep this above zero.
        await("no check left scheduled", () -> time.pendingTasks() == 0);
        assertThat(probe.getStatus()).isEqualTo(ProbeStatus.UP);
    }

    @Test
    void hungCheckIsCutAtItsTimeoutAndItsWorkerInterrupted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Probe probe = probe(ProbeConfig.defaults().withThresholds(1, 1), () -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException ex) {
                interrupted.countDown();
                throw ex;
            }
        });

        var result = probe.runNow();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        time.advance(Duration.ofSeconds(2));

        ProbeSnapshot cut = result.get(10, TimeUnit.SECONDS);
        assertThat(cut.status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(cut.error()).isEqualTo("no answer within PT2S");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
    }

    @Test
    void checkThatIgnoresItsInterruptStartsNoSecondWorker() {
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                submitted.incrementAndGet(); // counted on the submitting thread: no second worker can hide
                workers.execute(command);
            }

            @Override
            public void shutdown() {
            }

            @Override
            public List<Runnable> shutdownNow() {
                return List.of();
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public boolean isTerminated() {
                return false;
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
        AtomicInteger started = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Probe probe = new Probe("inventory", ProbeConfig.defaults().withThresholds(2, 1)
                .withInterval(Duration.ofSeconds(10)), () -> {
            started.incrementAndGet();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // this check does not heed interrupts
                }
            }
        }, time.timing(), counting);
        probe.start();
        time.advance(Duration.ZERO); // the first check is due at once
        await("the first check to start", () -> started.get() == 1);

        time.advance(Duration.ofSeconds(2));
        await("the timeout to count", () -> probe.snapshot().failedChecks() == 1 && time.pendingTasks() == 1);
        time.advance(Duration.ofSeconds(10));

        assertThat(probe.snapshot().status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(probe.snapshot().error()).startsWith("the previous check is still running");
        assertThat(submitted).as("no second worker while the first still runs").hasValue(1);
        release.countDown();
        probe.stop();
    }

    @Test
    void restartedWhileACheckRunsKeepsOneScheduleOfChecks() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Probe probe = probe(ProbeConfig.defaults().withInterval(Duration.ofSeconds(10)), () -> {
            running.countDown();
            release.await();
        });
        probe.start();
        time.advance(Duration.ZERO);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        probe.stop();
        probe.start();
        release.countDown();
        await("the first check to be decided, and only the new start's first check to be scheduled",
                () -> probe.snapshot().successfulChecks() == 1 && time.pendingTasks() == 1);

        time.advance(Duration.ZERO);
        await("the new start's first check", () -> probe.snapshot().successfulChecks() == 2);
        await("its next check to be scheduled, once", () -> time.pendingTasks() == 1);
        probe.stop();
    }

    @Test
    void tcpCheckConnectsToARealSocket() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
            Probe probe = probe(ProbeConfig.defaults().withThresholds(1, 1),
                    ProbeChecks.tcp("127.0.0.1", port, Duration.ofSeconds(2)));

            assertThat(run(probe).status()).isEqualTo(ProbeStatus.UP);
            socket.close();

            ProbeSnapshot refused = run(probe);
            assertThat(refused.status()).isEqualTo(ProbeStatus.DOWN);
            assertThat(refused.error()).startsWith("connecting to 127.0.0.1:" + port + " failed");
        }
    }

    @Test
    void aTargetThatCannotBeResolvedIsAFailedCheckWithItsMessage() throws Exception {
        // ".invalid" never resolves (RFC 2606): the check fails, nothing is thrown into the scheduler.
        Probe tcp = probe(ProbeConfig.defaults().withThresholds(1, 1),
                ProbeChecks.tcp("inventory.invalid", 5432, Duration.ofSeconds(2)));
        Probe http = probe(ProbeConfig.defaults().withThresholds(1, 1),
                ProbeChecks.http(URI.create("http://inventory.invalid/health"), Duration.ofSeconds(2)));

        ProbeSnapshot tcpResult = run(tcp);
        ProbeSnapshot httpResult = run(http);

        assertThat(tcpResult.status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(tcpResult.error()).contains("cannot resolve host inventory.invalid");
        assertThat(httpResult.status()).isEqualTo(ProbeStatus.DOWN);
        assertThat(httpResult.error()).contains("inventory.invalid");
    }

    @Test
    void downProbeHoldsItsBreakerOpenAndItsRecoveryLetsTrialsDecide() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker("inventory", CircuitBreakerConfig.builder()
                .waitDurationInOpenState(Duration.ofSeconds(1)).permittedNumberOfCallsInHalfOpenState(1).build(),
                time.timing());
        Probe probe = httpProbe(ProbeConfig.defaults().withThresholds(1, 1));
        probe.drive(breaker);
        status.set(500);

        run(probe);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getHeldOpenBy()).isEqualTo("inventory");
        assertThat(breaker.tryAcquirePermission()).isNull();
        time.advance(Duration.ofSeconds(5));
        assertThat(breaker.getState()).as("held: its wait does not end it").isEqualTo(CircuitBreakerState.OPEN);
        org.assertj.core.api.Assertions.assertThatThrownBy(breaker::acquirePermission)
                .isInstanceOf(CircuitBreakerOpenException.class);

        status.set(200);
        run(probe);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(breaker.getHeldOpenBy()).isNull();
        Object trial = breaker.acquirePermission();
        breaker.onResult(trial, breaker.now(), null);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void resetForgetsTheResultsAndReleasesTheBreakerItHeld() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker("inventory", CircuitBreakerConfig.defaults(), time.timing());
        Probe probe = httpProbe(ProbeConfig.defaults().withThresholds(2, 1));
        probe.drive(breaker);
        status.set(503);
        run(probe);
        run(probe);
        assertThat(breaker.getHeldOpenBy()).isEqualTo("inventory");

        probe.reset();

        ProbeSnapshot reset = probe.snapshot();
        assertThat(reset.status()).isEqualTo(ProbeStatus.UNKNOWN);
        assertThat(reset.consecutiveFailures()).isZero();
        assertThat(reset.error()).isNull();
        assertThat(reset.failedChecks()).as("lifetime counts stay").isEqualTo(2);
        assertThat(breaker.getHeldOpenBy()).isNull();
        assertThat(changes).extracting(ProbeStatusChange::to).containsExactly(ProbeStatus.DOWN, ProbeStatus.UNKNOWN);
        assertThat(run(probe).status()).as("thresholds count afresh").isEqualTo(ProbeStatus.UNKNOWN);
        probe.reset();
        assertThat(changes).as("no change, nothing published").hasSize(2);
    }

    @Test
    void downProbeCountsTowardTheDegradationLevelByItsCriticality() throws Exception {
        DegradationMonitor monitor = new DegradationMonitor(time.timing().clock());
        Probe probe = httpProbe(ProbeConfig.defaults().withThresholds(1, 1).withCriticality(Criticality.CRITICAL));
        monitor.watch(probe);
        status.set(503);

        run(probe);

        assertThat(monitor.snapshot().level()).isEqualTo(DegradationLevel.CRITICAL);
        assertThat(monitor.snapshot().impaired()).containsExactly("inventory");
        status.set(200);
        run(probe);
        assertThat(monitor.snapshot().level()).isEqualTo(DegradationLevel.NONE);
        assertThat(monitor.snapshot().impaired()).isEmpty();
    }

    @Test
    void readingTheStatusNeverRunsACheck() {
        Probe probe = httpProbe(ProbeConfig.defaults());

        for (int i = 0; i < 10; i++) {
            probe.snapshot();
            probe.getStatus();
        }

        assertThat(requests).hasValue(0);
    }
}
