package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.circuitbreaker.CircuitBreakerOpenException;
import dev.resilience.core.FakeTime;
import dev.resilience.degradation.FeatureDegradedException;
import dev.resilience.testing.RealServices;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Two replicas sharing the machine's Redis (a key prefix of their own per test, deleted afterwards): every write
 * one of them accepts reaches the other, and a replica that starts later re-applies them.
 */
class FleetControlTest {

    /** Long enough that only the published message can carry a change within the test's waits. */
    private static final Duration NO_RECONCILE = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String prefix = "resilience-test:" + UUID.randomUUID();
    private Replica a;
    private Replica b;

    @BeforeEach
    void redisRuns() {
        RealServices.redis();
    }

    @AfterEach
    void cleanUp() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        withRedis(redis -> redis.delete(redis.keys(prefix + ":*")));
    }

    private static void withRedis(Consumer<StringRedisTemplate> work) {
        LettuceConnectionFactory connections = new LettuceConnectionFactory(RealServices.HOST, RealServices.REDIS_PORT);
        connections.afterPropertiesSet();
        connections.start();
        try {
            work.accept(new StringRedisTemplate(connections));
        } finally {
            connections.destroy();
        }
    }

    @Test
    void everyAcceptedWriteReachesTheOtherReplicaAndARestartedOneReappliesThem() throws Exception {
        a = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, null);
        b = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, null);

        var state = b.arrival("circuitbreakers/inventory/state");
        assertThat(a.post("circuitbreakers/inventory", "{\"state\": \"FORCED_OPEN\"}")).isEqualTo(200);
        state.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(b.breakerState()).isEqualTo("FORCED_OPEN");
        assertThatThrownBy(() -> b.services().inventory()).isInstanceOf(CircuitBreakerOpenException.class);

        var feature = b.arrival("features/recommendations/enabled");
        assertThat(a.post("features/recommendations", "{\"enabled\": false}")).isEqualTo(200);
        feature.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> b.services().recommendations()).isInstanceOf(FeatureDegradedException.class);

        var threshold = b.arrival("circuitbreakers/inventory/config/failure-rate-threshold");
        assertThat(a.post("circuitbreakers/inventory", "{\"config\": {\"failure-rate-threshold\": 30}}"))
                .isEqualTo(200);
        threshold.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(b.failureRateThreshold()).isEqualTo(30.0);
        assertThat(b.breakerState()).as("a config change keeps the state").isEqualTo("FORCED_OPEN");

        var mode = a.arrival("degradation");
        assertThat(b.post("degradation", "{\"mode\": \"minimal\", \"reason\": \"incident 42\"}")).isEqualTo(200);
        mode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(a.degradation("mode")).isEqualTo("minimal");
        assertThat(a.degradation("reason")).isEqualTo("incident 42");

        // a refused write is not recorded: the other replica keeps its value
        assertThat(a.post("circuitbreakers/inventory", "{\"config\": {\"failure-rate-threshold\": 130}}"))
                .isEqualTo(400);

        b.close();
        b = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, null);
        assertThat(b.breakerState()).isEqualTo("FORCED_OPEN");
        assertThat(b.failureRateThreshold()).isEqualTo(30.0);
        assertThat(b.recommendationsEnabled()).isEqualTo(false);
        assertThat(b.degradation("mode")).isEqualTo("minimal");
    }

    @Test
    void aChangeWhoseMessageWasMissedIsAppliedByTheReconcile() throws Exception {
        a = Replica.start(RealServices.REDIS_PORT, prefix, Duration.ofMillis(200), null);
        var arrived = a.arrival("features/recommendations/enabled");

        // another replica's write whose message never came: only the hash has it
        withRedis(redis -> redis.opsForHash().put(prefix + ":state", "features/recommendations/enabled",
                "{\"key\":\"features/recommendations/enabled\",\"kind\":\"features\",\"name\":\"recommendations\","
                        + "\"body\":{\"enabled\":false},\"writer\":\"elsewhere\",\"at\":\"2026-12-04T10:00:00Z\","
                        + "\"expiresAt\":null}"));

        arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> a.services().recommendations()).isInstanceOf(FeatureDegradedException.class);
    }

    @Test
    void anExpiringOverrideEndsOnBothReplicas() throws Exception {
        FakeTime time = new FakeTime();
        a = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, time.timing());
        b = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, time.timing());

        var override = b.arrival("degradation");
        assertThat(a.post("degradation", "{\"override\": \"major\", \"expires-after\": \"30m\"}")).isEqualTo(200);
        override.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(b.degradation("override")).isEqualTo("MAJOR");
        assertThat(b.degradation("expiresAt")).isEqualTo(a.degradation("expiresAt"));

        time.advance(Duration.ofMinutes(30));

        assertThat(a.degradation("override")).isNull();
        assertThat(b.degradation("override")).isNull();
        assertThat(b.degradation("level")).isEqualTo("NONE");
    }

    @Test
    void aChangeReachesTheOtherReplicaWellWithinASecond() throws Exception {
        a = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, null);
        b = Replica.start(RealServices.REDIS_PORT, prefix, NO_RECONCILE, null);
        int rounds = 50;
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            var arrived = b.arrival("features/recommendations/enabled");
            long start = System.nanoTime();
            assertThat(a.post("features/recommendations", "{\"enabled\": " + (i % 2 == 1) + "}")).isEqualTo(200);
            arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("control change POST on A -> applied on B, %d rounds: median %d us, p90 %d us, max %d us%n",
                rounds, micros[rounds / 2], micros[rounds * 9 / 10], micros[rounds - 1]);
        assertThat(micros[rounds / 2]).isLessThan(1_000_000);
    }
}
