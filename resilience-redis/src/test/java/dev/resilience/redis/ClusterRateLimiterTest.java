package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.autoconfigure.endpoint.ResilienceEndpoint;
import dev.resilience.autoconfigure.endpoint.ResilienceEndpointWriteHandler;
import dev.resilience.autoconfigure.health.ResilienceStatus;
import dev.resilience.core.Timing;
import dev.resilience.ratelimiter.RateLimitExceededException;
import dev.resilience.testing.RealServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.ResponseEntity;

/** {@code scope: cluster}: one limit shared by every application on one Redis, and what happens without Redis. */
class ClusterRateLimiterTest {

    private static final int LIMIT = 20;
    private static final long PERIOD_MILLIS = 500;

    @Test
    void threeApplicationsOnOneRedisNeverGrantMoreThanTheLimitPerPeriodInTotal() throws Exception {
        RealServices.redis();
        String[] properties = {"resilience.ratelimiter.instances.quota.scope=cluster",
                "resilience.ratelimiter.instances.quota.limit-for-period=" + LIMIT,
                "resilience.ratelimiter.instances.quota.limit-refresh-period=" + PERIOD_MILLIS + "ms",
                "resilience.ratelimiter.instances.quota.expected-replicas=3",
                // a Redis request slowed by the loaded machine must not hand out local shares on top of the limit
                "resilience.ratelimiter.instances.quota.on-backend-failure=reject"};
        try (LimitedApp a = LimitedApp.start(RealServices.REDIS_PORT, properties);
                LimitedApp b = LimitedApp.start(RealServices.REDIS_PORT, properties);
                LimitedApp c = LimitedApp.start(RealServices.REDIS_PORT, properties)) {
            List<LimitedApp> apps = List.of(a, b, c);
            CountDownLatch go = new CountDownLatch(1);
            long started = System.currentTimeMillis(); // no permit is granted before this
            long deadline = System.nanoTime() + Duration.ofMillis(6 * PERIOD_MILLIS).toNanos();
            List<CompletableFuture<Integer>> callers = new ArrayList<>();
            for (LimitedApp app : apps) {
                IntStream.range(0, 4).forEach(thread -> callers.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    int granted = 0;
                    while (System.nanoTime() - deadline < 0) {
                        granted += LimitedApp.granted(app.quota()::shared) ? 1 : 0;
                    }
                    return granted;
                }, runnable -> new Thread(runnable).start())));
            }
            go.countDown();
            int granted = 0;
            for (CompletableFuture<Integer> caller : callers) {
                granted += caller.get(60, TimeUnit.SECONDS);
            }

            List<Long> ranAt = apps.stream().flatMap(app -> app.quota().ranAt().stream()).sorted().toList();
            assertThat(ranAt).hasSize(granted);
            Map<Long, Integer> perPeriod = new TreeMap<>();
            ranAt.forEach(at -> perPeriod.merge(at / PERIOD_MILLIS, 1, Integer::sum));
            long periods = ranAt.get(ranAt.size() - 1) / PERIOD_MILLIS - started / PERIOD_MILLIS + 1;
            System.out.printf("cluster limiter: %d calls granted to 3 applications in %d periods of %d ms "
                    + "(limit %d per period); per period, by the method's own timestamps: %s%n", granted, periods,
                    PERIOD_MILLIS, LIMIT, perPeriod.values());
            // A call ran after its permit was granted, and no permit was granted before `started`: so the calls that
            // ran up to the end of any period were granted in that period or the ones before, since `started`.
            long first = started / PERIOD_MILLIS;
            int ranSoFar = 0;
            for (long period = first; period < first + periods; period++) {
                ranSoFar += perPeriod.getOrDefault(period, 0);
                assertThat(ranSoFar).as("calls that ran in the %d periods up to period %d", period - first + 1, period)
                        .isLessThanOrEqualTo(LIMIT * (int) (period - first + 1));
            }
            assertThat(granted).as("the bucket is refilled every period").isGreaterThan(2 * LIMIT);
        }
    }

    @Test
    void whileRedisIsDownALimiterAllowsItsLocalShareOrRejectsAsConfiguredAndRecoversWhenRedisReturns()
            throws Exception {
        RealServices.redis(); // the machine has redis-server; this test runs a private one
        try (PrivateRedis redis = new PrivateRedis().start();
                LimitedApp app = LimitedApp.start(redis.port, standingClock(),
                        "resilience.ratelimiter.configs.fleet.scope=cluster",
                        "resilience.ratelimiter.configs.fleet.limit-for-period=10",
                        "resilience.ratelimiter.configs.fleet.limit-refresh-period=1h",
                        "resilience.ratelimiter.instances.share.base-config=fleet",
                        "resilience.ratelimiter.instances.share.expected-replicas=2",
                        "resilience.ratelimiter.instances.strict.base-config=fleet",
                        "resilience.ratelimiter.instances.strict.on-backend-failure=reject")) {
            assertThat(grants(app.quota()::share, 3)).isEqualTo(3);
            assertThat(LimitedApp.granted(app.quota()::strict)).isTrue();
            assertThat(app.backendGauge("share")).isEqualTo(1.0);
            assertThat(app.health().getStatus()).isEqualTo(Status.UP);

            redis.stop();

            assertThat(grants(app.quota()::share, 10)).as("the local share: 10 / 2 expected replicas").isEqualTo(5);
            assertThatThrownBy(app.quota()::strict).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageContaining("'strict'").hasMessageContaining("unreachable");
            assertThat(app.backendGauge("share")).isZero();
            assertThat(app.backendGauge("strict")).isZero();
            assertThat(app.health().getStatus()).isEqualTo(ResilienceStatus.DEGRADED);
            assertThat(app.healthDetail("share", "backendAvailable")).isEqualTo(false);
            assertThat(app.healthDetail("share", "localShare")).isEqualTo(5);
            assertThat(app.healthDetail("strict", "onBackendFailure")).isEqualTo("reject");

            redis.start(); // empty: the shared bucket starts full again

            assertThat(Replica.eventually(Duration.ofSeconds(30), () -> app.backendGauge("share") == 1.0)).isTrue();
            assertThat(app.health().getStatus()).isEqualTo(Status.UP);
            assertThat(grants(app.quota()::share, 12)).as("the shared limit again").isEqualTo(10);
            assertThat(LimitedApp.granted(app.quota()::strict)).isTrue();
        }
    }

    @Test
    void aLimiterSwitchedToClusterScopeAtRuntimeSharesTheOtherApplicationsLimit() throws Exception {
        RealServices.redis();
        String[] limit = {"management.endpoints.web.exposure.include=resilience",
                "resilience.ratelimiter.instances.share.limit-for-period=10",
                "resilience.ratelimiter.instances.share.limit-refresh-period=1h"};
        try (PrivateRedis redis = new PrivateRedis().start();
                LimitedApp a = LimitedApp.start(redis.port, standingClock(), append(limit,
                        "resilience.ratelimiter.instances.share.scope=cluster"));
                LimitedApp b = LimitedApp.start(redis.port, standingClock(), limit)) {
            assertThat(grants(a.quota()::share, 6)).isEqualTo(6);

            ResponseEntity<Object> reply = new ResilienceEndpointWriteHandler(b.context.getBean(
                    ResilienceEndpoint.class)).change("ratelimiters", "share", Map.of("config",
                            Map.of("scope", "cluster")));

            assertThat(reply.getStatusCode().value()).as(String.valueOf(reply.getBody())).isEqualTo(200);
            assertThat(grants(b.quota()::share, 10)).as("what A left of the shared limit").isEqualTo(4);
            assertThat(b.backendGauge("share")).as("the gauge of a limiter switched at runtime").isEqualTo(1.0);

            redis.stop();

            LimitedApp.granted(b.quota()::share); // finds Redis unreachable
            assertThat(b.backendGauge("share")).isZero();
        }
    }

    @Test
    void anApplicationStartsWhileRedisIsDownAndItsClusterLimiterFallsBack() throws Exception {
        RealServices.redis();
        try (PrivateRedis redis = new PrivateRedis();
                LimitedApp app = LimitedApp.start(redis.port, // never started
                        "resilience.ratelimiter.instances.share.scope=cluster",
                        "resilience.ratelimiter.instances.share.limit-for-period=6",
                        "resilience.ratelimiter.instances.share.limit-refresh-period=1h",
                        "resilience.ratelimiter.instances.share.expected-replicas=3")) {
            assertThat(grants(app.quota()::share, 5)).isEqualTo(2);
            assertThat(app.backendGauge("share")).isZero();
        }
    }

    /** System timing with a wall clock that stands still: no period boundary of a shared bucket falls in a test. */
    private static Timing standingClock() {
        Timing system = Timing.system();
        return new Timing(system.ticker(), system.coarseTicker(),
                Clock.fixed(Instant.parse("2026-01-01T00:30:00Z"), ZoneOffset.UTC), system.sleeper(),
                system.scheduler());
    }

    private static String[] append(String[] properties, String more) {
        String[] all = Arrays.copyOf(properties, properties.length + 1);
        all[properties.length] = more;
        return all;
    }

    private static int grants(Runnable call, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            granted += LimitedApp.granted(call) ? 1 : 0;
        }
        return granted;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not started");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
